package io.streammanager.composition.scene;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;

/**
 * Composites I420 planes (with optional alpha) at (x, y) onto a frame, clipped to the frame: the picture may lie
 * partly or wholly outside it. x and y are rounded down to even pixels so the 4:2:0 chroma lines up. Opaque rows are
 * bulk copies; only pixels with partial alpha are blended one by one.
 */
final class PictureBlender {

    private PictureBlender() {
    }

    static void blend(I420Frame frame, Picture picture, int x, int y) {
        blendPlanes(frame, MemorySegment.ofArray(picture.y()), MemorySegment.ofArray(picture.u()),
                MemorySegment.ofArray(picture.v()), picture.alpha(), picture.chromaAlpha(), picture.width(),
                picture.height(), x, y);
    }

    /**
     * Planes laid out as I420 of {@code width} x {@code height} (strides width and width / 2); alpha arrays null for
     * an opaque picture.
     */
    static void blendPlanes(I420Frame frame, MemorySegment ySrc, MemorySegment uSrc, MemorySegment vSrc,
                            byte[] alpha, byte[] chromaAlpha, int width, int height, int x, int y) {
        int left = x & ~1;
        int top = y & ~1;
        plane(frame.pixels(), 0, frame.width(), frame.width(), frame.height(), ySrc, alpha, width, height, left, top);
        int cw = width / 2;
        int ch = height / 2;
        plane(frame.pixels(), frame.uPlaneOffset(), frame.chromaWidth(), frame.chromaWidth(), frame.chromaHeight(),
                uSrc, chromaAlpha, cw, ch, left / 2, top / 2);
        plane(frame.pixels(), frame.vPlaneOffset(), frame.chromaWidth(), frame.chromaWidth(), frame.chromaHeight(),
                vSrc, chromaAlpha, cw, ch, left / 2, top / 2);
    }

    private static void plane(MemorySegment frame, long planeOffset, int stride, int frameWidth, int frameHeight,
                              MemorySegment src, byte[] alpha, int width, int height, int x, int y) {
        int colFrom = Math.max(0, -x);
        int colTo = Math.min(width, frameWidth - x);
        int rowFrom = Math.max(0, -y);
        int rowTo = Math.min(height, frameHeight - y);
        if (colFrom >= colTo || rowFrom >= rowTo) {
            return;
        }
        int length = colTo - colFrom;
        for (int row = rowFrom; row < rowTo; row++) {
            long srcRow = (long) row * width;
            long dstRow = planeOffset + (long) (y + row) * stride + x;
            if (alpha == null) {
                MemorySegment.copy(src, srcRow + colFrom, frame, dstRow + colFrom, length);
                continue;
            }
            for (int col = colFrom; col < colTo; col++) {
                int a = alpha[(int) srcRow + col] & 0xFF;
                if (a == 0) {
                    continue;
                }
                byte above = src.get(JAVA_BYTE, srcRow + col);
                if (a == 255) {
                    frame.set(JAVA_BYTE, dstRow + col, above);
                } else {
                    int below = frame.get(JAVA_BYTE, dstRow + col) & 0xFF;
                    frame.set(JAVA_BYTE, dstRow + col, mix(below, above & 0xFF, a));
                }
            }
        }
    }

    /** below + (above - below) * alpha / 255, rounded. */
    static byte mix(int below, int above, int alpha) {
        return (byte) (below + ((above - below) * alpha + (above >= below ? 127 : -127)) / 255);
    }
}
