package io.streammanager.encoder.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Synthetic moving pictures whose mean luma is known, so a decoded picture can be compared with its source. */
public final class TestPatterns {

    public static final int BAR_WIDTH = 32;
    private static final byte BAR_LUMA = (byte) 235;
    private static final byte NEUTRAL_CHROMA = (byte) 128;

    private TestPatterns() {
    }

    /** Background luma changes every frame, so frames cannot be confused with one another. */
    public static int backgroundLuma(int frameIndex) {
        return 40 + (frameIndex * 9) % 150;
    }

    /** Fills an I420 frame (Y, then U, then V, tightly packed) and returns its mean luma. */
    public static double fillI420(MemorySegment frame, int width, int height, int frameIndex) {
        byte background = (byte) backgroundLuma(frameIndex);
        int barX = (frameIndex * 8) % (width - BAR_WIDTH);
        long sum = 0;
        byte[] row = new byte[width];
        for (int x = 0; x < width; x++) {
            row[x] = x >= barX && x < barX + BAR_WIDTH ? BAR_LUMA : background;
            sum += row[x] & 0xff;
        }
        for (int y = 0; y < height; y++) {
            MemorySegment.copy(row, 0, frame, ValueLayout.JAVA_BYTE, (long) y * width, width);
        }
        frame.asSlice((long) width * height, (long) width * height / 2).fill(NEUTRAL_CHROMA);
        return (double) sum / width;
    }

    /** Fills a BGRA frame with gray levels and returns the mean luma FFmpeg should produce (BT.601, limited range). */
    public static double fillBgra(MemorySegment frame, int width, int height, int frameIndex) {
        int background = backgroundLuma(frameIndex);
        int barX = (frameIndex * 8) % (width - BAR_WIDTH);
        byte[] row = new byte[width * 4];
        double lumaSum = 0;
        for (int x = 0; x < width; x++) {
            int gray = x >= barX && x < barX + BAR_WIDTH ? 250 : background;
            row[x * 4] = (byte) gray;
            row[x * 4 + 1] = (byte) gray;
            row[x * 4 + 2] = (byte) gray;
            row[x * 4 + 3] = (byte) 255;
            lumaSum += 16 + 219.0 * gray / 255;
        }
        for (int y = 0; y < height; y++) {
            MemorySegment.copy(row, 0, frame, ValueLayout.JAVA_BYTE, (long) y * width * 4, row.length);
        }
        return lumaSum / width;
    }
}
