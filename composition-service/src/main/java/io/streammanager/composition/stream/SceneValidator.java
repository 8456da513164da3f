package io.streammanager.composition.stream;

import static io.streammanager.composition.stream.SpecLimits.*;

import io.streammanager.bus.control.spec.ApplyAt;
import io.streammanager.bus.control.spec.AudioLayer;
import io.streammanager.bus.control.spec.BackgroundLayer;
import io.streammanager.bus.control.spec.Fallback;
import io.streammanager.bus.control.spec.Gradient;
import io.streammanager.bus.control.spec.ImageLayer;
import io.streammanager.bus.control.spec.Layer;
import io.streammanager.bus.control.spec.SceneSpec;
import io.streammanager.bus.control.spec.ShapeLayer;
import io.streammanager.bus.control.spec.Slate;
import io.streammanager.bus.control.spec.TextLayer;
import io.streammanager.bus.control.spec.Transition;
import io.streammanager.bus.control.spec.VideoLayer;
import io.streammanager.bus.control.spec.VideoSpec;
import io.streammanager.composition.scene.GradientDirection;
import io.streammanager.composition.scene.ImageFit;
import io.streammanager.composition.scene.RgbColor;
import io.streammanager.composition.scene.ShapeKind;
import io.streammanager.composition.scene.TextAlign;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The scene part of {@link StreamSpecValidator}: layers (ids, placement, each type's fields), slate, transition and
 * applyAt, each error naming its JSON path. Pure: whether a URL may be reached or an asset exists is
 * {@link SceneReferences}' job.
 */
final class SceneValidator {

    static final Pattern LAYER_ID = Pattern.compile("[a-z0-9_-]{1,32}");
    /** A box may reach this far past the canvas on any side (and is clipped there). */
    static final int MAX_OVERHANG = 4 * MAX_WIDTH;
    static final int MAX_BOX = 2 * MAX_WIDTH;
    static final int MAX_HOLD_MS = 60_000;
    static final int MAX_TRANSITION_MS = 60_000;
    static final Set<String> TRANSITIONS = Set.of("cut", "fade", "move");
    static final Set<String> EASINGS = Set.of("linear", "ease-in-out");

    private SceneValidator() {
    }

    static void validate(SceneSpec scene, VideoSpec video) {
        require(scene != null, "scene", "is required");
        List<Layer> layers = scene.layers();
        require(layers.size() <= MAX_LAYERS, "scene.layers", "must have at most " + MAX_LAYERS + " layers");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < layers.size(); i++) {
            String path = "scene.layers[" + i + "]";
            Layer layer = layers.get(i);
            if (layer == null) {
                throw new InvalidSpecException(path, "must be a layer object");
            }
            require(layer.id() != null && LAYER_ID.matcher(layer.id()).matches(), path + ".id",
                    "must match [a-z0-9_-]{1,32}");
            require(ids.add(layer.id()), path + ".id", "duplicates another layer's id (" + layer.id() + ")");
            require(layer.opacity() == null || layer.opacity() >= 0 && layer.opacity() <= 1, path + ".opacity",
                    "must be between 0 and 1");
            if (layer.transition() != null) {
                validateTransition(layer.transition(), path + ".transition");
            }
            switch (layer) {
                case BackgroundLayer background -> validateBackground(background, path);
                case ShapeLayer shape -> validateShape(shape, path, video);
                case TextLayer text -> validateText(text, path, video);
                case ImageLayer image -> validateImage(image, path);
                case VideoLayer v -> validateVideo(v, path);
                case AudioLayer a -> validateAudio(a, path);
            }
        }
        if (scene.slate() != null) {
            validateSlate(scene.slate());
        }
        if (scene.transition() != null) {
            validateTransition(scene.transition(), "scene.transition");
        }
        if (scene.applyAt() != null) {
            ApplyAt at = scene.applyAt();
            require((at.ptsUs() == null) != (at.epochMs() == null), "scene.applyAt",
                    "needs exactly one of ptsUs (stream time) or epochMs (wall clock)");
            require(at.ptsUs() == null || at.ptsUs() >= 0, "scene.applyAt.ptsUs", "must not be negative");
            require(at.epochMs() == null || at.epochMs() >= 0, "scene.applyAt.epochMs", "must not be negative");
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
        require(layer.x() == null || layer.x() >= 0 && layer.x() < video.width(), path + ".x",
                "must be within the frame (0 to " + (video.width() - 1) + ")");
        require(layer.y() == null || layer.y() >= 0 && layer.y() < video.height(), path + ".y",
                "must be within the frame (0 to " + (video.height() - 1) + ")");
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
        require(layer.width() == null || layer.width() >= 2 && layer.width() <= MAX_BOX, path + ".width",
                "must be between 2 and " + MAX_BOX);
        require(layer.height() == null || layer.height() >= 2 && layer.height() <= MAX_BOX, path + ".height",
                "must be between 2 and " + MAX_BOX);
        require(TextAlign.isValid(layer.align()), path + ".align", "must be left, center or right");
        if (layer.plate() != null) {
            requireColor(layer.plate(), path + ".plate");
        }
    }

    private static void validateImage(ImageLayer layer, String path) {
        requireSource(layer.source(), path + ".source");
        require(ImageFit.isValid(layer.fit()), path + ".fit", "must be contain, cover or fill");
        requireBox(layer.x(), layer.y(), layer.width(), layer.height(), path);
    }

    private static void validateVideo(VideoLayer layer, String path) {
        requireSource(layer.source(), path + ".source");
        requireBox(layer.x(), layer.y(), layer.width(), layer.height(), path);
        require(layer.holdMs() == null || layer.holdMs() >= 0 && layer.holdMs() <= MAX_HOLD_MS, path + ".holdMs",
                "must be between 0 and " + MAX_HOLD_MS);
        requireVolume(layer.volume(), path);
        Fallback fallback = layer.fallback();
        if (fallback != null) {
            int set = (fallback.color() != null ? 1 : 0) + (fallback.source() != null ? 1 : 0)
                    + (Boolean.TRUE.equals(fallback.hidden()) ? 1 : 0);
            require(set == 1, path + ".fallback", "needs exactly one of color, source or hidden: true");
            if (fallback.color() != null) {
                requireColor(fallback.color(), path + ".fallback.color");
            }
            if (fallback.source() != null) {
                require(fallback.source().startsWith("asset:"), path + ".fallback.source", "must be asset:<id>");
            }
        }
    }

    /** An audio layer has no box and no opacity: those fields are unknown to it (a 400 from the parser). */
    private static void validateAudio(AudioLayer layer, String path) {
        requireSource(layer.source(), path + ".source");
        requireVolume(layer.volume(), path);
    }

    private static void requireVolume(Double volume, String path) {
        require(volume == null || volume >= 0 && volume <= 2, path + ".volume", "must be between 0 and 2");
    }

    private static void validateSlate(Slate slate) {
        if (slate.color() != null) {
            requireColor(slate.color(), "scene.slate.color");
        }
        if (slate.source() != null) {
            require(slate.source().startsWith("asset:"), "scene.slate.source", "must be asset:<id>");
        }
        require(slate.text() == null || !slate.text().isEmpty() && slate.text().length() <= MAX_TEXT_LENGTH,
                "scene.slate.text", "must have 1 to " + MAX_TEXT_LENGTH + " characters");
    }

    private static void validateTransition(Transition transition, String path) {
        require(transition.type() == null || TRANSITIONS.contains(transition.type()), path + ".type",
                "must be cut, fade or move");
        require(transition.durationMs() == null || transition.durationMs() >= 0
                && transition.durationMs() <= MAX_TRANSITION_MS, path + ".durationMs",
                "must be between 0 and " + MAX_TRANSITION_MS);
        require(transition.easing() == null || EASINGS.contains(transition.easing()), path + ".easing",
                "must be linear or ease-in-out");
    }

    private static void requireSource(String source, String field) {
        require(source != null && !source.isEmpty() && source.length() <= MAX_URL_LENGTH, field,
                "must be asset:<id> or a URL (at most " + MAX_URL_LENGTH + " characters)");
    }

    private static void requireBox(int x, int y, Integer width, Integer height, String path) {
        require(Math.abs(x) <= MAX_OVERHANG, path + ".x", "must be between -" + MAX_OVERHANG + " and " + MAX_OVERHANG);
        require(Math.abs(y) <= MAX_OVERHANG, path + ".y", "must be between -" + MAX_OVERHANG + " and " + MAX_OVERHANG);
        require(width == null || width >= 2 && width <= MAX_BOX, path + ".width", "must be between 2 and " + MAX_BOX);
        require(height == null || height >= 2 && height <= MAX_BOX, path + ".height",
                "must be between 2 and " + MAX_BOX);
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
