package io.streammanager.encoder.codec;

/**
 * How libvpx is tuned from the stream's x264-style preset: realtime mode's {@code cpu-used} (higher is faster) and
 * VP9's tile columns, which {@code row-mt} spreads over threads. Pure.
 */
final class VpxSpeed {

    private VpxSpeed() {
    }

    /** ultrafast..veryfast: the fastest realtime speeds; slower presets trade speed for quality. */
    static int cpuUsed(String preset) {
        return switch (preset == null ? "veryfast" : preset) {
            case "ultrafast", "superfast" -> 8;
            case "veryfast" -> 8;
            case "faster" -> 7;
            case "fast" -> 6;
            default -> 5;
        };
    }

    /** log2 of the tile columns: one per 256 pixels of width at least, as libvpx wants, up to 4 (16 tiles). */
    static int tileColumnsLog2(int width) {
        int log2 = 0;
        while (log2 < 4 && (256 << (log2 + 1)) <= width) {
            log2++;
        }
        return log2;
    }
}
