package io.streammanager.encoder.codec;

/**
 * The stream's x264 preset as Intel's seven target usages (TU 1 = best quality .. TU 7 = fastest), so
 * {@code encoder.preset} trades speed for quality on VAAPI and QSV as on the CPU. QSV names its presets after x264's
 * (veryfast .. veryslow), so a name maps to itself; the two x264 presets faster than veryfast and the one slower than
 * veryslow land on the ends. VAAPI's quality level is the same TU number (Intel's drivers pass it through). Pure.
 */
public final class HardwarePresets {

    private static final String[] QSV_BY_TARGET_USAGE = {null, "veryslow", "slower", "slow", "medium", "fast",
        "faster", "veryfast"};

    private HardwarePresets() {
    }

    /** 1 (best) .. 7 (fastest). */
    public static int targetUsage(String x264Preset) {
        return switch (x264Preset == null ? VideoEncoderSettings.DEFAULT_PRESET : x264Preset) {
            case "ultrafast", "superfast", "veryfast" -> 7;
            case "faster" -> 6;
            case "fast" -> 5;
            case "medium" -> 4;
            case "slow" -> 3;
            case "slower" -> 2;
            default -> 1; // veryslow, placebo
        };
    }

    /** h264_qsv's {@code preset} option. */
    public static String qsvPreset(String x264Preset) {
        return QSV_BY_TARGET_USAGE[targetUsage(x264Preset)];
    }

    /**
     * VAAPI's quality level, set as the codec context's {@code compression_level} (1 = best, higher = faster; a driver
     * with fewer levels clamps it and says so in FFmpeg's log).
     */
    public static int vaapiCompressionLevel(String x264Preset) {
        return targetUsage(x264Preset);
    }
}
