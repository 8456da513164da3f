package io.streammanager.muxer.output;

import io.streammanager.bus.shm.CodecConfig;
import io.streammanager.bus.shm.Track;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacpp.BytePointer;

/**
 * One encoded packet (video or audio), copied once out of the packet ring into a pooled direct buffer that every output of the
 * stream shares. Reference counted: the distributor holds one reference while it hands the packet out, each queue
 * entry holds one, and the buffer goes back to its pool when the last one is released.
 *
 * <p>{@link #keyframe()} means a video keyframe: GOPs, and so every queue's dropping rules, are cut at video
 * keyframes; audio packets ride inside the GOP they arrived in. Keyframes carry the {@link CodecConfig}s of every
 * track that preceded them in the ring, so an output can (re)connect at any keyframe it takes from its queue.
 */
public final class SharedPacket {
    private final PacketPool pool;
    private final ByteBuffer buffer;
    private final MemorySegment segment;
    private BytePointer pointer; // created on first native use, so pure-Java users never load JavaCPP
    private final AtomicInteger references = new AtomicInteger();

    private int size;
    private Track track = Track.VIDEO;
    private boolean keyframe;
    private long ptsUs;
    private long dtsUs;
    private long durationUs;
    private long captureEpochUs;
    private CodecConfig codecConfig;
    private CodecConfig audioConfig;

    SharedPacket(PacketPool pool, int capacity) {
        this.pool = pool;
        this.buffer = ByteBuffer.allocateDirect(capacity);
        this.segment = MemorySegment.ofBuffer(buffer);
    }

    /** Called by the pool when the packet is handed out: one reference, owned by the caller. */
    void reset(Track track, int size, boolean keyframe, long ptsUs, long dtsUs, long durationUs, long captureEpochUs,
               CodecConfig codecConfig, CodecConfig audioConfig) {
        this.track = track;
        this.size = size;
        this.keyframe = keyframe;
        this.ptsUs = ptsUs;
        this.dtsUs = dtsUs;
        this.durationUs = durationUs;
        this.captureEpochUs = captureEpochUs;
        this.codecConfig = codecConfig;
        this.audioConfig = audioConfig;
        references.set(1);
    }

    public SharedPacket retain() {
        int before = references.getAndIncrement();
        if (before <= 0) {
            references.getAndDecrement();
            throw new IllegalStateException("retain of a released packet: references=" + before);
        }
        return this;
    }

    public void release() {
        int after = references.decrementAndGet();
        if (after == 0) {
            codecConfig = null;
            audioConfig = null;
            pool.recycle(this);
        } else if (after < 0) {
            throw new IllegalStateException("packet released too often: references=" + after);
        }
    }

    public int references() {
        return references.get();
    }

    int capacity() {
        return buffer.capacity();
    }

    /** Where the distributor copies the payload: the first {@link #size()} bytes of the pooled buffer. */
    public MemorySegment payload() {
        return segment.asSlice(0, size);
    }

    /** The payload's native address for FFmpeg (no copy); valid while a reference is held. */
    public synchronized BytePointer nativeData() {
        if (pointer == null) {
            pointer = new BytePointer(buffer);
        }
        return pointer;
    }

    public int size() {
        return size;
    }

    public Track track() {
        return track;
    }

    /** A video keyframe: a connection can start here (with {@link #codecConfig()} and {@link #audioConfig()}). */
    public boolean keyframe() {
        return keyframe;
    }

    public long ptsUs() {
        return ptsUs;
    }

    public long dtsUs() {
        return dtsUs;
    }

    public long durationUs() {
        return durationUs;
    }

    public long captureEpochUs() {
        return captureEpochUs;
    }

    /** The video track's config; non-null on keyframes. */
    public CodecConfig codecConfig() {
        return codecConfig;
    }

    /** The audio track's config on keyframes of a stream with audio; null otherwise. */
    public CodecConfig audioConfig() {
        return audioConfig;
    }
}
