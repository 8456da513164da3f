package io.streammanager.encoder.codec;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over the encoder's current output packet. {@link #data()} points into FFmpeg's own packet memory and is
 * valid only inside {@link PacketSink#accept}.
 */
public final class EncodedPacket {

    private MemorySegment data = MemorySegment.NULL;
    private long ptsUs;
    private long dtsUs;
    private long durationUs;
    private boolean keyframe;

    void wrap(MemorySegment data, long ptsUs, long dtsUs, long durationUs, boolean keyframe) {
        this.data = data;
        this.ptsUs = ptsUs;
        this.dtsUs = dtsUs;
        this.durationUs = durationUs;
        this.keyframe = keyframe;
    }

    public MemorySegment data() {
        return data;
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

    public boolean keyframe() {
        return keyframe;
    }
}
