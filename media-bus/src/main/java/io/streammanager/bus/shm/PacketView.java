package io.streammanager.bus.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A packet record as it sits in the ring: a reused flyweight filled by {@link PacketRingReader#poll(PacketView)}.
 * Copy the payload out ({@link #copyPayloadTo}), then ask {@link PacketRingReader#stillValid(PacketView)}: the
 * producer may have overwritten the record meanwhile.
 */
public final class PacketView {

    private long position = -1;
    private long sequence = -1;
    private Track track;
    private int rendition;
    private int flags;
    private long ptsUs;
    private long dtsUs;
    private long durationUs;
    private long captureEpochUs;
    private MemorySegment data;
    private long payloadOffset;
    private int payloadLength;
    private int binding;

    void wrap(long position, long sequence, Track track, int rendition, int flags, long ptsUs, long dtsUs,
              long durationUs, long captureEpochUs, MemorySegment data, long payloadOffset, int payloadLength,
              int binding) {
        this.position = position;
        this.sequence = sequence;
        this.track = track;
        this.rendition = rendition;
        this.flags = flags;
        this.ptsUs = ptsUs;
        this.dtsUs = dtsUs;
        this.durationUs = durationUs;
        this.captureEpochUs = captureEpochUs;
        this.data = data;
        this.payloadOffset = payloadOffset;
        this.payloadLength = payloadLength;
        this.binding = binding;
    }

    public Track track() {
        return track;
    }

    public int rendition() {
        return rendition;
    }

    public int flags() {
        return flags;
    }

    public boolean keyframe() {
        return PacketFlags.isKeyframe(flags);
    }

    public boolean codecConfig() {
        return PacketFlags.isCodecConfig(flags);
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

    /** The record's sequence in its ring (0, 1, 2, ... for the life of the file). */
    public long sequence() {
        return sequence;
    }

    /** The record's stream position in its ring. */
    public long position() {
        return position;
    }

    public int payloadLength() {
        return payloadLength;
    }

    /**
     * The payload in place (a new slice object per call: prefer {@link #copyPayloadTo} on a hot path). Valid until
     * {@link PacketRingReader#stillValid} says otherwise.
     */
    public MemorySegment payload() {
        return data.asSlice(payloadOffset, payloadLength);
    }

    /** Copies the payload into {@code dst} at {@code dstOffset}; no allocation. */
    public void copyPayloadTo(byte[] dst, int dstOffset) {
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, payloadOffset, dst, dstOffset, payloadLength);
    }

    /** Copies the payload into {@code dst} at {@code dstOffset}; no allocation. */
    public void copyPayloadTo(MemorySegment dst, long dstOffset) {
        MemorySegment.copy(data, payloadOffset, dst, dstOffset, payloadLength);
    }

    /** The payload as a new array (allocates: for tests and rare records such as codec configs). */
    public byte[] payloadBytes() {
        byte[] bytes = new byte[payloadLength];
        copyPayloadTo(bytes, 0);
        return bytes;
    }

    int binding() {
        return binding;
    }

    @Override
    public String toString() {
        return "PacketView[sequence=" + sequence + " track=" + track + " rendition=" + rendition + " flags=" + flags
                + " ptsUs=" + ptsUs + " dtsUs=" + dtsUs + " payloadLength=" + payloadLength + "]";
    }
}
