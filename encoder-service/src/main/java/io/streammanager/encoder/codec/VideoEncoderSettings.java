package io.streammanager.encoder.codec;

import java.util.Objects;

/**
 * What one H.264 encoder is asked to do. Frames reach the encoder as YUV420P with pts in microseconds.
 *
 * @param gopFrames keyframe interval in frames (also the minimum, so keyframes land on schedule)
 * @param threads   encoder threads, 0 = the encoder's own choice
 */
public record VideoEncoderSettings(int width, int height, int fps, int bitrateBps, int gopFrames, String preset,
                                   String tune, int threads) {

    public static final String DEFAULT_PRESET = "veryfast";
    public static final String DEFAULT_TUNE = "zerolatency";

    public VideoEncoderSettings {
        if (width <= 0 || height <= 0 || (width & 1) != 0 || (height & 1) != 0) {
            throw new IllegalArgumentException("width=" + width + " height=" + height + " must be positive and even");
        }
        if (fps <= 0 || fps > 240) {
            throw new IllegalArgumentException("fps=" + fps + " must be in 1..240");
        }
        if (bitrateBps <= 0) {
            throw new IllegalArgumentException("bitrateBps=" + bitrateBps + " must be positive");
        }
        if (gopFrames <= 0) {
            throw new IllegalArgumentException("gopFrames=" + gopFrames + " must be positive");
        }
        preset = Objects.requireNonNullElse(preset, DEFAULT_PRESET);
        tune = Objects.requireNonNullElse(tune, DEFAULT_TUNE);
        if (threads < 0) {
            throw new IllegalArgumentException("threads=" + threads + " must be >= 0");
        }
    }

    /** Settings from a stream's encoder spec: gop = fps x keyframe interval. */
    public static VideoEncoderSettings of(int width, int height, int fps, int bitrateKbps, int keyframeIntervalSeconds,
                                          String preset, String tune) {
        return new VideoEncoderSettings(width, height, fps, Math.multiplyExact(bitrateKbps, 1000),
                fps * Math.max(1, keyframeIntervalSeconds), preset, tune, 0);
    }

    public long frameDurationUs() {
        return 1_000_000L / fps;
    }
}
