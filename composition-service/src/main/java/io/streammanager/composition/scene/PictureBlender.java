package io.streammanager.composition.scene;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;

/**
 * Composites I420 planes at (x, y) onto a frame, clipped to the frame: the picture may lie partly or wholly outside
 * it. x and y are rounded down to even pixels so the 4:2:0 chroma lines up. Opaque rows are bulk copies; a picture
 * with alpha blends only each row's visible span (its {@link AlphaSpans}), on a copy of that span in a heap
 * scratch row, so the per-pixel loop runs over arrays.
 */
final class PictureBlender {

    private PictureBlender() {
    }

    /** @param scratch at least {@code picture.width()} bytes, the caller's (one per painter, no allocation) */
    static void blend(I420Frame frame, Picture picture, int x, int y, byte[] scratch) {
        int left = x & ~1;
        int top = y & ~1;
        MemorySegment pixels = frame.pixels();
        int cw = picture.width() / 2;
        int ch = picture.height() / 2;
        plane(pixels, 0, frame.width(), frame.height(), picture.y(), picture.alpha(), picture.lumaSpans(),
                picture.width(), picture.height(), left, top, scratch);
        plane(pixels, frame.uPlaneOffset(), frame.chromaWidth(), frame.chromaHeight(), picture.u(),
                picture.chromaAlpha(), picture.chromaSpans(), cw, ch, left / 2, top / 2, scratch);
        plane(pixels, frame.vPlaneOffset(), frame.chromaWidth(), frame.chromaHeight(), picture.v(),
                picture.chromaAlpha(), picture.chromaSpans(), cw, ch, left / 2, top / 2, scratch);
    }

    /** Copies an opaque I420 picture (a decoded video frame, planes with their own strides) onto the frame. */
    static void copy(I420Frame frame, VideoFrame picture, int x, int y) {
        int left = x & ~1;
        int top = y & ~1;
        int width = picture.width();
        int height = picture.height();
        MemorySegment pixels = frame.pixels();
        copyPlane(pixels, 0, frame.width(), frame.height(), picture.plane(0), picture.stride(0), width, height,
                left, top);
        copyPlane(pixels, frame.uPlaneOffset(), frame.chromaWidth(), frame.chromaHeight(), picture.plane(1),
                picture.stride(1), width / 2, height / 2, left / 2, top / 2);
        copyPlane(pixels, frame.vPlaneOffset(), frame.chromaWidth(), frame.chromaHeight(), picture.plane(2),
                picture.stride(2), width / 2, height / 2, left / 2, top / 2);
    }

    private static void copyPlane(MemorySegment frame, long planeOffset, int stride, int frameHeight,
                                  MemorySegment src, int srcStride, int width, int height, int x, int y) {
        int colFrom = Math.max(0, -x);
        int colTo = Math.min(width, stride - x);
        int rowFrom = Math.max(0, -y);
        int rowTo = Math.min(height, frameHeight - y);
        if (colFrom >= colTo || rowFrom >= rowTo) {
            return;
        }
        if (x == 0 && width == stride && srcStride == width) { // full rows contiguous on both sides: one copy
            MemorySegment.copy(src, (long) rowFrom * width, frame, planeOffset + (long) (y + rowFrom) * stride,
                    (long) (rowTo - rowFrom) * width);
            return;
        }
        for (int row = rowFrom; row < rowTo; row++) {
            MemorySegment.copy(src, (long) row * srcStride + colFrom, frame,
                    planeOffset + (long) (y + row) * stride + x + colFrom, colTo - colFrom);
        }
    }

    private static void plane(MemorySegment frame, long planeOffset, int stride, int frameHeight, byte[] src,
                              byte[] alpha, AlphaSpans spans, int width, int height, int x, int y, byte[] scratch) {
        int colFrom = Math.max(0, -x);
        int colTo = Math.min(width, stride - x);
        int rowFrom = Math.max(0, -y);
        int rowTo = Math.min(height, frameHeight - y);
        for (int row = rowFrom; row < rowTo; row++) {
            int srcRow = row * width;
            long dstRow = planeOffset + (long) (y + row) * stride + x;
            int from = alpha == null ? colFrom : Math.max(colFrom, spans.from(row));
            int to = alpha == null ? colTo : Math.min(colTo, spans.to(row));
            if (from >= to) {
                continue;
            }
            if (alpha == null || spans.opaque(row)) {
                MemorySegment.copy(src, srcRow + from, frame, JAVA_BYTE, dstRow + from, to - from);
                continue;
            }
            int length = to - from;
            MemorySegment.copy(frame, JAVA_BYTE, dstRow + from, scratch, 0, length);
            for (int i = 0, at = srcRow + from; i < length; i++, at++) {
                int a = alpha[at] & 0xFF;
                if (a == 255) {
                    scratch[i] = src[at];
                } else if (a != 0) {
                    scratch[i] = mix(scratch[i] & 0xFF, src[at] & 0xFF, a);
                }
            }
            MemorySegment.copy(scratch, 0, frame, JAVA_BYTE, dstRow + from, length);
        }
    }

    /**
     * below + (above - below) * alpha / 255, rounded: the same as (below * (255 - alpha) + above * alpha) / 255
     * rounded (no tie can occur with an odd divisor), written without a branch and with the division by 255 as
     * (t + 1 + (t >> 8)) >> 8, exact for 0 <= t < 65536, so the loops over rows stay cheap.
     */
    static byte mix(int below, int above, int alpha) {
        int t = below * (255 - alpha) + above * alpha + 127;
        return (byte) ((t + 1 + (t >> 8)) >> 8);
    }
}
