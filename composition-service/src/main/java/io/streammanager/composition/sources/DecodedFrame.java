package io.streammanager.composition.sources;

import io.streammanager.composition.scene.VideoFrame;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A pooled buffer for one decoded, scaled I420 frame. Direct memory owned by the garbage collector (not an arena),
 * so a frame the clock still shows stays valid even after its source was closed. It keeps its source timestamp.
 */
final class DecodedFrame implements VideoFrame {

    private final int width;
    private final int height;
    private final ByteBuffer buffer;
    private final MemorySegment pixels;
    private long arrivalNs;
    private long sourcePtsUs;

    DecodedFrame(int width, int height) {
        this.width = width;
        this.height = height;
        this.buffer = ByteBuffer.allocateDirect(width * height * 3 / 2);
        this.pixels = MemorySegment.ofBuffer(buffer);
    }

    boolean fits(int w, int h) {
        return width == w && height == h;
    }

    ByteBuffer buffer() {
        return buffer;
    }

    void arrived(long nowNs, long sourcePtsUs) {
        this.arrivalNs = nowNs;
        this.sourcePtsUs = sourcePtsUs;
    }

    /** The frame's timestamp in its source's own time (the mixer takes the source's sound from there). */
    long sourcePtsUs() {
        return sourcePtsUs;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public MemorySegment pixels() {
        return pixels;
    }

    @Override
    public long arrivalNs() {
        return arrivalNs;
    }
}
