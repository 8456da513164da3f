package io.streammanager.composition.sources;

import io.streammanager.composition.scene.VideoFrame;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A pooled buffer for one decoded, scaled I420 frame. Direct memory owned by the garbage collector (not an arena),
 * so a frame the clock still shows stays valid even after its source was closed.
 */
final class DecodedFrame implements VideoFrame {

    private final int width;
    private final int height;
    private final ByteBuffer buffer;
    private final MemorySegment pixels;
    private long arrivalNs;

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

    void arrived(long nowNs) {
        this.arrivalNs = nowNs;
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
