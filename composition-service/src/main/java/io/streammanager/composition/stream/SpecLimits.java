package io.streammanager.composition.stream;

import java.util.Set;
import java.util.regex.Pattern;

/** The bounds a stream spec is checked against, in one place so messages and checks agree. */
final class SpecLimits {

    static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    static final int MIN_DIMENSION = 16;
    static final int MAX_WIDTH = 3840;
    static final int MAX_HEIGHT = 2160;
    static final int MIN_FPS = 1;
    static final int MAX_FPS = 60;
    static final int MAX_LAYERS = 16;
    static final int MIN_SHAPE = 2;
    static final double MAX_SPEED = 10_000;
    static final int MAX_TEXT_LENGTH = 256;
    static final int MIN_TEXT_SIZE = 8;
    static final int MAX_TEXT_SIZE = 256;
    static final Set<String> X264_PRESETS = Set.of("ultrafast", "superfast", "veryfast", "faster", "fast", "medium",
            "slow", "slower", "veryslow", "placebo");
    static final Set<String> X264_TUNES = Set.of("film", "animation", "grain", "stillimage", "fastdecode",
            "zerolatency", "psnr", "ssim");
    static final int MIN_BITRATE_KBPS = 100;
    static final int MAX_BITRATE_KBPS = 50_000;
    static final int MIN_KEYFRAME_SECONDS = 1;
    static final int MAX_KEYFRAME_SECONDS = 10;
    static final int MAX_OUTPUTS = 8;
    static final int MAX_URL_LENGTH = 2048;
    static final Set<String> OUTPUT_SCHEMES = Set.of("rtmp", "rtmps");
    /** An hour: a longer wait between reconnects would look like a dead output. */
    static final long MAX_RETRY_DELAY_MS = 3_600_000;

    private SpecLimits() {
    }
}
