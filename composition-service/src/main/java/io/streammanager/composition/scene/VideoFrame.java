package io.streammanager.composition.scene;

import java.lang.foreign.MemorySegment;

/**
 * One decoded frame: I420 of {@code width} x {@code height} (both even) as three planes (0: Y, 1: U, 2: V), each
 * with its own row stride: a frame scaled into a packed buffer, or the decoder's own frame, referenced rather than
 * copied, whose rows are padded. {@code arrivalNs} is when the decoder handed it over.
 */
public interface VideoFrame {

    int width();

    int height();

    /** Plane {@code index}: at least {@code stride(index) * rows} bytes (rows: height, or height / 2 for U and V). */
    MemorySegment plane(int index);

    /** Bytes from one row of plane {@code index} to the next: at least its width. */
    int stride(int index);

    long arrivalNs();

    /** A frame of packed planes (strides width and width / 2) in {@code pixels}. */
    static VideoFrame packed(int width, int height, MemorySegment pixels, long arrivalNs) {
        return new Packed(width, height, pixels, arrivalNs);
    }

    /** Packed planes in one segment; {@link #packed}. */
    record Packed(int width, int height, MemorySegment pixels, long arrivalNs) implements VideoFrame {

        @Override
        public MemorySegment plane(int index) {
            long luma = (long) width * height;
            return switch (index) {
                case 0 -> pixels.asSlice(0, luma);
                case 1 -> pixels.asSlice(luma, luma / 4);
                case 2 -> pixels.asSlice(luma + luma / 4, luma / 4);
                default -> throw new IllegalArgumentException("plane " + index);
            };
        }

        @Override
        public int stride(int index) {
            return index == 0 ? width : width / 2;
        }
    }
}
