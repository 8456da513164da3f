package io.streammanager.bus.shm;

/**
 * Raw picture layouts a frame ring can carry. Planes are stored back to back, each with the stride given here
 * (no row padding), so a frame is exactly {@link #frameBytes(int, int)} long.
 */
public enum PixelFormat {
    /** Planar YUV 4:2:0: Y (stride width), then U and V (stride width/2, height/2). Width and height even. */
    I420(1),
    /** Packed 8-bit B, G, R, A: one plane, stride 4 x width. */
    BGRA(2);

    private final int code;

    PixelFormat(int code) {
        this.code = code;
    }

    /** The value stored in ring headers; stable across releases (never the ordinal). */
    public int code() {
        return code;
    }

    public static PixelFormat fromCode(int code) {
        for (PixelFormat format : values()) {
            if (format.code == code) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown pixel format: code=" + code);
    }

    public int planeCount() {
        return this == I420 ? 3 : 1;
    }

    public long planeOffset(int plane, int width, int height) {
        checkPlane(plane);
        if (this == BGRA) {
            return 0;
        }
        long luma = (long) width * height;
        long chroma = (long) (width / 2) * (height / 2);
        return switch (plane) {
            case 0 -> 0;
            case 1 -> luma;
            default -> luma + chroma;
        };
    }

    public int planeStride(int plane, int width) {
        checkPlane(plane);
        if (this == BGRA) {
            return 4 * width;
        }
        return plane == 0 ? width : width / 2;
    }

    public int planeHeight(int plane, int height) {
        checkPlane(plane);
        if (this == BGRA) {
            return height;
        }
        return plane == 0 ? height : height / 2;
    }

    public long frameBytes(int width, int height) {
        long total = 0;
        for (int plane = 0; plane < planeCount(); plane++) {
            total += (long) planeStride(plane, width) * planeHeight(plane, height);
        }
        return total;
    }

    /** Throws if this format cannot hold a picture of that size. */
    public void checkDimensions(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("dimensions must be positive: width=" + width + " height=" + height);
        }
        if (this == I420 && (width % 2 != 0 || height % 2 != 0)) {
            throw new IllegalArgumentException("I420 needs even dimensions: width=" + width + " height=" + height);
        }
    }

    private void checkPlane(int plane) {
        if (plane < 0 || plane >= planeCount()) {
            throw new IllegalArgumentException("no such plane: plane=" + plane + " format=" + this
                    + " planeCount=" + planeCount());
        }
    }
}
