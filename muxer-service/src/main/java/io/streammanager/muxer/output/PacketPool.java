package io.streammanager.muxer.output;

import io.streammanager.bus.shm.CodecConfig;
import io.streammanager.bus.shm.Track;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pool of direct buffers for {@link SharedPacket}s in power-of-two size classes, so a running stream stops
 * allocating once its queues are warm. Thread safe: the distributor takes, any output thread recycles.
 */
public final class PacketPool {
    private static final int MIN_CLASS_BYTES = 4 * 1024;
    private static final int CLASS_COUNT = 12; // 4 KiB .. 8 MiB

    private final ConcurrentLinkedQueue<SharedPacket>[] free;
    private final AtomicInteger[] freeCounts;
    private final int maxFreePerClass;

    @SuppressWarnings("unchecked")
    public PacketPool(int maxFreePerClass) {
        this.maxFreePerClass = maxFreePerClass;
        this.free = new ConcurrentLinkedQueue[CLASS_COUNT];
        this.freeCounts = new AtomicInteger[CLASS_COUNT];
        for (int i = 0; i < CLASS_COUNT; i++) {
            free[i] = new ConcurrentLinkedQueue<>();
            freeCounts[i] = new AtomicInteger();
        }
    }

    public static int maxPacketBytes() {
        return MIN_CLASS_BYTES << (CLASS_COUNT - 1);
    }

    /**
     * A packet with room for {@code size} bytes and one reference owned by the caller; the caller copies the payload
     * into {@link SharedPacket#payload()}.
     *
     * @throws IllegalArgumentException if size exceeds {@link #maxPacketBytes()}
     */
    public SharedPacket acquire(int size, boolean keyframe, long ptsUs, long dtsUs, long durationUs,
                                long captureEpochUs, CodecConfig codecConfig) {
        return acquire(Track.VIDEO, size, keyframe, ptsUs, dtsUs, durationUs, captureEpochUs, codecConfig, null);
    }

    /**
     * Same for a packet of {@code track}; a video keyframe carries the configs of both tracks ({@code audioConfig}
     * null for a stream without audio).
     */
    public SharedPacket acquire(Track track, int size, boolean keyframe, long ptsUs, long dtsUs, long durationUs,
                                long captureEpochUs, CodecConfig codecConfig, CodecConfig audioConfig) {
        int sizeClass = sizeClass(size);
        SharedPacket packet = free[sizeClass].poll();
        if (packet != null) {
            freeCounts[sizeClass].decrementAndGet();
        } else {
            packet = new SharedPacket(this, MIN_CLASS_BYTES << sizeClass);
        }
        packet.reset(track, size, keyframe, ptsUs, dtsUs, durationUs, captureEpochUs, codecConfig, audioConfig);
        return packet;
    }

    void recycle(SharedPacket packet) {
        int sizeClass = sizeClass(packet.capacity());
        if (freeCounts[sizeClass].incrementAndGet() <= maxFreePerClass) {
            free[sizeClass].offer(packet);
        } else {
            freeCounts[sizeClass].decrementAndGet(); // let the GC take the buffer
        }
    }

    public int freeCount() {
        int total = 0;
        for (AtomicInteger count : freeCounts) {
            total += count.get();
        }
        return total;
    }

    private static int sizeClass(int size) {
        if (size < 0 || size > maxPacketBytes()) {
            throw new IllegalArgumentException("packet size=" + size + " exceeds maxPacketBytes=" + maxPacketBytes());
        }
        int sizeClass = 0;
        while ((MIN_CLASS_BYTES << sizeClass) < size) {
            sizeClass++;
        }
        return sizeClass;
    }
}
