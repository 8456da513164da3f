package io.streammanager.encoder.codec;

import java.util.Objects;

/**
 * What one video encoder is asked to do. Frames reach the encoder as YUV420P with pts in microseconds. Rate control
 * is capped for platforms: maxrate = bitrate, with a one-second buffer.
 *
 * @param gopFrames keyframe interval in frames (also the minimum, so keyframes land on schedule)
 * @param threads   encoder threads, 0 = the encoder's own choice
 * @param profile   null: the codec's default
 */
public record VideoEncoderSettings(VideoCodec codec, int width, int height, int fps, int bitrateBps, int gopFrames,
                                   String preset, String tune, String profile, int threads) {

    public VideoEncoderSettings(int width, int height, int fps, int bitrateBps, int gopFrames, String preset,
                                String tune, int threads) {
        this(VideoCodec.H264, width, height, fps, bitrateBps, gopFrames, preset, tune, null, threads);
    }

    public static final String DEFAULT_PRESET = "veryfast";
    public static final String DEFAULT_TUNE = "zerolatency";

    public VideoEncoderSettings {
        Objects.requireNonNull(codec, "codec");
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

    /** The VBV maximum rate: the target itself, so no second goes over what the platform was promised. */
    public int maxrateBps() {
        return bitrateBps;
    }

    /** The VBV buffer: one second of the target, close to CBR without starving keyframes. */
    public int bufsizeBps() {
        return bitrateBps;
    }

    /** These settings with another bitrate (a live change). */
    public VideoEncoderSettings withBitrate(int newBitrateBps) {
        return new VideoEncoderSettings(codec, width, height, fps, newBitrateBps, gopFrames, preset, tune, profile,
                threads);
    }
}
