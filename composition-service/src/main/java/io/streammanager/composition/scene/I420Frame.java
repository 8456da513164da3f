package io.streammanager.composition.scene;

import io.streammanager.bus.shm.PixelFormat;
import java.lang.foreign.MemorySegment;

/**
 * Plane layout of one I420 (YUV 4:2:0 planar) frame in a flat segment, and the few row operations painters
 * need. Y plane first (stride = width), then U, then V (stride = width / 2, height / 2); width and height even.
 * Offsets come from the frame ring's {@link PixelFormat#I420}; the ring hands us a slot segment of exactly
 * {@link #frameBytes()} and we render straight into it.
 */
public final class I420Frame {

    private final int width;
    private final int height;
    private final int chromaWidth;
    private final int chromaHeight;
    private final long uOffset;
    private final long vOffset;
    private final long frameBytes;
    private MemorySegment pixels = MemorySegment.NULL;

    public I420Frame(int width, int height) {
        if (width <= 0 || height <= 0 || (width & 1) != 0 || (height & 1) != 0) {
            throw new IllegalArgumentException("I420 needs even positive sizes: width=" + width + " height=" + height);
        }
        this.width = width;
        this.height = height;
        // The plane layout is the frame ring's, defined once in media-bus.
        this.chromaWidth = PixelFormat.I420.planeStride(1, width);
        this.chromaHeight = PixelFormat.I420.planeHeight(1, height);
        this.uOffset = PixelFormat.I420.planeOffset(1, width, height);
        this.vOffset = PixelFormat.I420.planeOffset(2, width, height);
        this.frameBytes = PixelFormat.I420.frameBytes(width, height);
    }

    public static long frameBytes(int width, int height) {
        return new I420Frame(width, height).frameBytes();
    }

    /** Points this view at a frame's pixels (a ring slot); no copy. */
    public I420Frame wrap(MemorySegment frame) {
        if (frame.byteSize() < frameBytes) {
            throw new IllegalArgumentException("frame segment too small: size=" + frame.byteSize() + " needed=" + frameBytes);
        }
        this.pixels = frame;
        return this;
    }

    public MemorySegment pixels() {
        return pixels;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int chromaWidth() {
        return chromaWidth;
    }

    public int chromaHeight() {
        return chromaHeight;
    }

    public long frameBytes() {
        return frameBytes;
    }

    public long yOffset(int x, int y) {
        return (long) y * width + x;
    }

    public long uOffset(int cx, int cy) {
        return uOffset + (long) cy * chromaWidth + cx;
    }

    public long vOffset(int cx, int cy) {
        return vOffset + (long) cy * chromaWidth + cx;
    }

    public long yPlaneBytes() {
        return uOffset;
    }

    public long chromaPlaneBytes() {
        return (long) chromaWidth * chromaHeight;
    }

    public long uPlaneOffset() {
        return uOffset;
    }

    public long vPlaneOffset() {
        return vOffset;
    }
}
