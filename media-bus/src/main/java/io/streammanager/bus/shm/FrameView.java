package io.streammanager.bus.shm;

import java.lang.foreign.MemorySegment;

/**
 * A frame as it sits in its ring slot: a reused flyweight filled by {@link FrameRingReader#poll(FrameView)}.
 * The pixels are read in place; after using them, ask {@link FrameRingReader#stillValid(FrameView)} whether the
 * producer overwrote the slot meanwhile.
 */
public final class FrameView {

    private long sequence = -1;
    private long ptsUs;
    private long captureEpochUs;
    private long durationUs;
    private MemorySegment pixels;
    private int sampleCount;
    private long stampOffset;
    private long expectedStamp;
    private int binding;

    void wrap(long sequence, long ptsUs, long captureEpochUs, long durationUs, MemorySegment pixels,
              int sampleCount, long stampOffset, long expectedStamp, int binding) {
        this.sampleCount = sampleCount;
        this.sequence = sequence;
        this.ptsUs = ptsUs;
        this.captureEpochUs = captureEpochUs;
        this.durationUs = durationUs;
        this.pixels = pixels;
        this.stampOffset = stampOffset;
        this.expectedStamp = expectedStamp;
        this.binding = binding;
    }

    /** The frame's ring sequence: 0, 1, 2, ... for the life of the ring file. */
    public long sequence() {
        return sequence;
    }

    public long ptsUs() {
        return ptsUs;
    }

    public long captureEpochUs() {
        return captureEpochUs;
    }

    public long durationUs() {
        return durationUs;
    }

    /**
     * The slot's payload, read-only for readers: pixels, exactly {@link FrameGeometry#frameBytes()} long, or for a
     * PCM ring room for {@link PcmGeometry#maxSamplesPerSlot()} sample frames.
     */
    public MemorySegment pixels() {
        return pixels;
    }

    /**
     * A PCM ring's slot: the sample frames at the start of {@link #pixels()} (interleaved S16); 0 for video.
     * Checked against the slot's size, so a torn read never reaches past it.
     */
    public int sampleCount() {
        return sampleCount;
    }

    long stampOffset() {
        return stampOffset;
    }

    long expectedStamp() {
        return expectedStamp;
    }

    int binding() {
        return binding;
    }

    @Override
    public String toString() {
        return "FrameView[sequence=" + sequence + " ptsUs=" + ptsUs + " captureEpochUs=" + captureEpochUs + "]";
    }
}
