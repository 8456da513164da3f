package io.streammanager.composition.stream;

import static io.streammanager.composition.stream.SpecLimits.*;

import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.control.spec.OutputSpec;
import io.streammanager.bus.control.spec.RetrySpec;
import io.streammanager.bus.control.spec.SceneSpec;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.VideoSpec;
import io.streammanager.composition.scene.RgbColor;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a stream spec (after {@link StreamSpec#withDefaults()}) before anything is stored or started, and names
 * the first bad field by its JSON path. Pure: no I/O, so it is tested as a table.
 */
public final class StreamSpecValidator {

    private StreamSpecValidator() {
    }

    public static void validate(StreamSpec spec) {
        if (spec == null) {
            throw new InvalidSpecException("body", "a stream spec is required");
        }
        require(spec.name() != null && NAME.matcher(spec.name()).matches(), "name",
                "must match [a-zA-Z0-9_-]{1,64}");
        VideoSpec video = spec.video();
        require(video != null, "video", "is required");
        validateVideo(video);
        validateScene(spec.scene(), video);
        validateEncoder(spec.encoder());
        validateOutputs(spec.outputs());
        RenditionRules.validate(spec.encoder(), video, spec.outputs());
    }

    private static void validateVideo(VideoSpec video) {
        require(evenWithin(video.width(), MIN_DIMENSION, MAX_WIDTH), "video.width",
                "must be an even number between " + MIN_DIMENSION + " and " + MAX_WIDTH);
        require(evenWithin(video.height(), MIN_DIMENSION, MAX_HEIGHT), "video.height",
                "must be an even number between " + MIN_DIMENSION + " and " + MAX_HEIGHT);
        require(video.fps() >= MIN_FPS && video.fps() <= MAX_FPS, "video.fps",
                "must be between " + MIN_FPS + " and " + MAX_FPS);
    }

    private static void validateScene(SceneSpec scene, VideoSpec video) {
        SceneValidator.validate(scene, video);
    }

    private static void validateEncoder(EncoderSpec encoder) {
        require(encoder != null, "encoder", "is required");
        require(X264_PRESETS.contains(encoder.preset()), "encoder.preset",
                "must be an x264 preset (ultrafast ... placebo)");
        require(encoder.tune() == null || X264_TUNES.contains(encoder.tune()), "encoder.tune",
                "must be an x264 tune (e.g. zerolatency, film, animation)");
        require(encoder.bitrateKbps() >= MIN_BITRATE_KBPS && encoder.bitrateKbps() <= MAX_BITRATE_KBPS,
                "encoder.bitrateKbps", "must be between " + MIN_BITRATE_KBPS + " and " + MAX_BITRATE_KBPS);
        require(encoder.keyframeIntervalSeconds() >= MIN_KEYFRAME_SECONDS
                        && encoder.keyframeIntervalSeconds() <= MAX_KEYFRAME_SECONDS,
                "encoder.keyframeIntervalSeconds",
                "must be between " + MIN_KEYFRAME_SECONDS + " and " + MAX_KEYFRAME_SECONDS + " seconds");
    }

    private static void validateOutputs(List<OutputSpec> outputs) {
        require(outputs.size() <= MAX_OUTPUTS, "outputs", "must have at most " + MAX_OUTPUTS + " outputs");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < outputs.size(); i++) {
            String path = "outputs[" + i + "]";
            OutputSpec output = outputs.get(i);
            require(output != null, path, "must be an output object");
            require(output.id() != null && NAME.matcher(output.id()).matches(), path + ".id",
                    "must match [a-zA-Z0-9_-]{1,64}");
            require(ids.add(output.id()), path + ".id", "duplicates another output's id");
            require(isRtmpUrl(output.url()) || output.url() != null && OutputSpec.RECORD_URL.matcher(output.url()).matches(),
                    path + ".url", "must be an rtmp:// or rtmps:// URL with a host (at most " + MAX_URL_LENGTH
                            + " characters), or record: / record:<name> ([A-Za-z0-9_-]{1,64}) to record it");
            if (output.retry() != null) {
                validateRetry(output.retry(), path + ".retry");
            }
        }
    }

    private static void validateRetry(RetrySpec retry, String path) {
        require(retry.attempts() == null || retry.attempts() >= 0, path + ".attempts",
                "must be 0 (retry forever) or more");
        require(retry.delayMs() == null || retry.delayMs() >= 0 && retry.delayMs() <= MAX_RETRY_DELAY_MS,
                path + ".delayMs", "must be between 0 and " + MAX_RETRY_DELAY_MS + " ms");
        require(retry.maxDelayMs() == null || retry.maxDelayMs() >= 0 && retry.maxDelayMs() <= MAX_RETRY_DELAY_MS,
                path + ".maxDelayMs", "must be between 0 and " + MAX_RETRY_DELAY_MS + " ms");
        require(retry.delayMs() == null || retry.maxDelayMs() == null || retry.maxDelayMs() >= retry.delayMs(),
                path + ".maxDelayMs", "must not be below delayMs");
    }

    private static boolean isRtmpUrl(String url) {
        if (url == null || url.length() > MAX_URL_LENGTH) {
            return false;
        }
        try {
            URI uri = new URI(url);
            return uri.getScheme() != null && OUTPUT_SCHEMES.contains(uri.getScheme().toLowerCase(java.util.Locale.ROOT))
                    && uri.getHost() != null && !uri.getHost().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean evenWithin(int value, int min, int max) {
        return value >= min && value <= max && value % 2 == 0;
    }

    private static void requireColor(String color, String field) {
        require(RgbColor.isValid(color), field, "must be a colour like #rrggbb");
    }

    private static void require(boolean condition, String field, String message) {
        if (!condition) {
            throw new InvalidSpecException(field, message);
        }
    }
}
