package io.streammanager.encoder.codec;

/**
 * The stream's x264 preset as an NVENC preset (p1 fastest .. p7 best), so {@code encoder.preset} means the same trade
 * of speed for quality on a GPU as on the CPU. Pure.
 */
public final class NvencPresets {

    private NvencPresets() {
    }

    public static String fromX264(String preset) {
        return switch (preset == null ? "veryfast" : preset) {
            case "ultrafast", "superfast" -> "p1";
            case "veryfast" -> "p2";
            case "faster" -> "p3";
            case "fast" -> "p4";
            case "medium" -> "p5";
            case "slow" -> "p6";
            default -> "p7"; // slower, veryslow, placebo
        };
    }
}
