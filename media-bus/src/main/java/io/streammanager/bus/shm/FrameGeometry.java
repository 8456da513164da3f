package io.streammanager.bus.shm;

import java.util.Objects;

/** What every frame in a ring looks like: size, pixel layout and nominal rate. */
public record FrameGeometry(int width, int height, PixelFormat pixelFormat, int fps) {

    /** Frames larger than this do not fit a slot's int-sized length field. */
    public static final long MAX_FRAME_BYTES = Integer.MAX_VALUE - FrameRingDescriptor.SLOT_HEADER_LENGTH - 64;

    public FrameGeometry {
        Objects.requireNonNull(pixelFormat, "pixelFormat");
        pixelFormat.checkDimensions(width, height);
        if (fps <= 0 || fps > 1000) {
            throw new IllegalArgumentException("fps out of range: fps=" + fps + " min=1 max=1000");
        }
        long bytes = pixelFormat.frameBytes(width, height);
        if (bytes > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("frame too large: frameBytes=" + bytes + " max=" + MAX_FRAME_BYTES);
        }
    }

    /** Bytes of one frame's pixels, all planes. */
    public int frameBytes() {
        return (int) pixelFormat.frameBytes(width, height);
    }

    /** Nominal duration of one frame, rounded down to whole microseconds. */
    public long frameDurationUs() {
        return 1_000_000L / fps;
    }

    public int planeCount() {
        return pixelFormat.planeCount();
    }

    public long planeOffset(int plane) {
        return pixelFormat.planeOffset(plane, width, height);
    }

    public int planeStride(int plane) {
        return pixelFormat.planeStride(plane, width);
    }

    public int planeHeight(int plane) {
        return pixelFormat.planeHeight(plane, height);
    }
}
