package io.streammanager.composition.stream;

import static io.streammanager.composition.stream.SpecLimits.*;

import io.streammanager.bus.control.spec.BackgroundLayer;
import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.control.spec.Gradient;
import io.streammanager.bus.control.spec.Layer;
import io.streammanager.bus.control.spec.OutputSpec;
import io.streammanager.bus.control.spec.RetrySpec;
import io.streammanager.bus.control.spec.SceneSpec;
import io.streammanager.bus.control.spec.ShapeLayer;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.TextLayer;
import io.streammanager.bus.control.spec.VideoSpec;
import io.streammanager.composition.scene.GradientDirection;
import io.streammanager.composition.scene.RgbColor;
import io.streammanager.composition.scene.ShapeKind;
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
        require(scene != null, "scene", "is required");
        List<Layer> layers = scene.layers();
        require(layers.size() <= MAX_LAYERS, "scene.layers", "must have at most " + MAX_LAYERS + " layers");
        for (int i = 0; i < layers.size(); i++) {
            String path = "scene.layers[" + i + "]";
            switch (layers.get(i)) {
                case null -> throw new InvalidSpecException(path, "must be a layer object");
                case BackgroundLayer background -> validateBackground(background, path);
                case ShapeLayer shape -> validateShape(shape, path, video);
                case TextLayer text -> validateText(text, path, video);
            }
        }
    }

    private static void validateBackground(BackgroundLayer layer, String path) {
        require((layer.color() == null) != (layer.gradient() == null), path,
                "a background needs exactly one of color or gradient");
        if (layer.color() != null) {
            requireColor(layer.color(), path + ".color");
            return;
        }
        Gradient gradient = layer.gradient();
        requireColor(gradient.from(), path + ".gradient.from");
        requireColor(gradient.to(), path + ".gradient.to");
        require(gradient.direction() == null || GradientDirection.isValid(gradient.direction()),
                path + ".gradient.direction", "must be vertical or horizontal");
    }

    private static void validateShape(ShapeLayer layer, String path, VideoSpec video) {
        require(ShapeKind.isValid(layer.shape()), path + ".shape", "must be rectangle or circle");
        requireColor(layer.color(), path + ".color");
        require(layer.width() >= MIN_SHAPE && layer.width() <= video.width(), path + ".width",
                "must be between " + MIN_SHAPE + " and the video width (" + video.width() + ")");
        require(layer.height() >= MIN_SHAPE && layer.height() <= video.height(), path + ".height",
                "must be between " + MIN_SHAPE + " and the video height (" + video.height() + ")");
        require(Math.abs(layer.speedX()) <= MAX_SPEED, path + ".speedX",
                "must be between -" + (int) MAX_SPEED + " and " + (int) MAX_SPEED + " pixels per second");
        require(Math.abs(layer.speedY()) <= MAX_SPEED, path + ".speedY",
                "must be between -" + (int) MAX_SPEED + " and " + (int) MAX_SPEED + " pixels per second");
    }

    private static void validateText(TextLayer layer, String path, VideoSpec video) {
        require(layer.text() != null && !layer.text().isEmpty() && layer.text().length() <= MAX_TEXT_LENGTH,
                path + ".text", "must have 1 to " + MAX_TEXT_LENGTH + " characters");
        require(layer.x() >= 0 && layer.x() < video.width(), path + ".x",
                "must be within the frame (0 to " + (video.width() - 1) + ")");
        require(layer.y() >= 0 && layer.y() < video.height(), path + ".y",
                "must be within the frame (0 to " + (video.height() - 1) + ")");
        require(layer.size() >= MIN_TEXT_SIZE && layer.size() <= MAX_TEXT_SIZE, path + ".size",
                "must be between " + MIN_TEXT_SIZE + " and " + MAX_TEXT_SIZE + " pixels");
        requireColor(layer.color(), path + ".color");
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
            require(isRtmpUrl(output.url()), path + ".url",
                    "must be an rtmp:// or rtmps:// URL with a host (at most " + MAX_URL_LENGTH + " characters)");
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
