package io.streammanager.composition.stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import io.streammanager.bus.control.spec.ApplyAt;
import io.streammanager.bus.control.spec.Fallback;
import io.streammanager.bus.control.spec.ImageLayer;
import io.streammanager.bus.control.spec.Slate;
import io.streammanager.bus.control.spec.Transition;
import io.streammanager.bus.control.spec.VideoLayer;

class StreamSpecValidatorTest {

    static final VideoSpec HD = new VideoSpec(1280, 720, 30);
    static final EncoderSpec ENCODER = new EncoderSpec("h264", "veryfast", "zerolatency", 2500, 2);
    static final List<Layer> LAYERS = List.of(
            new BackgroundLayer(null, new Gradient("#0f2027", "#2c5364", "vertical")),
            new ShapeLayer("rectangle", "#ff8800", 160, 120, 240, 180),
            new TextLayer("{name} {clock}", 40, 60, 36, "#ffffff"));

    static StreamSpec valid() {
        return new StreamSpec(null, "demo", HD, new SceneSpec(LAYERS).withLayerIds(), ENCODER,
                List.of(new OutputSpec("backup", "rtmp://example.invalid/live/abc")), null, 0, 0);
    }

    static StreamSpec withName(String name) {
        StreamSpec s = valid();
        return new StreamSpec(null, name, s.video(), s.scene(), s.encoder(), s.outputs(), null, 0, 0);
    }

    static StreamSpec withVideo(int width, int height, int fps) {
        StreamSpec s = valid();
        return new StreamSpec(null, s.name(), new VideoSpec(width, height, fps), s.scene(), s.encoder(), s.outputs(), null, 0, 0);
    }

    static StreamSpec withLayer(int index, Layer layer) {
        StreamSpec s = valid();
        List<Layer> layers = new ArrayList<>(LAYERS);
        layers.set(index, layer);
        return new StreamSpec(null, s.name(), s.video(), new SceneSpec(layers).withLayerIds(), s.encoder(), s.outputs(), null, 0, 0);
    }

    static StreamSpec withScene(SceneSpec scene) {
        StreamSpec s = valid();
        return new StreamSpec(null, s.name(), s.video(), scene.withLayerIds(), s.encoder(), s.outputs(), null, 0, 0);
    }

    static VideoLayer video(Fallback fallback, Integer holdMs) {
        return new VideoLayer("cam", "rtmp://gateway.example/live/cam", null, null, holdMs, fallback, 0, 0, 640,
                360, null, null, null, null);
    }

    static StreamSpec withEncoder(EncoderSpec encoder) {
        StreamSpec s = valid();
        return new StreamSpec(null, s.name(), s.video(), s.scene(), encoder, s.outputs(), null, 0, 0);
    }

    static StreamSpec withOutputs(OutputSpec... outputs) {
        StreamSpec s = valid();
        return new StreamSpec(null, s.name(), s.video(), s.scene(), s.encoder(), List.of(outputs), null, 0, 0);
    }

    static StreamSpec with(UnaryOperator<StreamSpec> change) {
        return change.apply(valid());
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                Arguments.of(withName(null), "name"),
                Arguments.of(withName(""), "name"),
                Arguments.of(withName("has space"), "name"),
                Arguments.of(withName("x".repeat(65)), "name"),
                Arguments.of(withName("../etc"), "name"),
                Arguments.of(with(s -> new StreamSpec(null, "a", null, s.scene(), s.encoder(), s.outputs(), null, 0, 0)), "video"),
                Arguments.of(withVideo(1281, 720, 30), "video.width"),
                Arguments.of(withVideo(8, 720, 30), "video.width"),
                Arguments.of(withVideo(3842, 720, 30), "video.width"),
                Arguments.of(withVideo(1280, 721, 30), "video.height"),
                Arguments.of(withVideo(1280, 2162, 30), "video.height"),
                Arguments.of(withVideo(1280, 720, 0), "video.fps"),
                Arguments.of(withVideo(1280, 720, 61), "video.fps"),
                Arguments.of(withLayer(0, new BackgroundLayer("red", null)), "scene.layers[0].color"),
                Arguments.of(withLayer(0, new BackgroundLayer("#12345", null)), "scene.layers[0].color"),
                Arguments.of(withLayer(0, new BackgroundLayer(null, null)), "scene.layers[0]"),
                Arguments.of(withLayer(0, new BackgroundLayer("#000000", new Gradient("#000000", "#ffffff", null))), "scene.layers[0]"),
                Arguments.of(withLayer(0, new BackgroundLayer(null, new Gradient("#000000", "#fff", null))), "scene.layers[0].gradient.to"),
                Arguments.of(withLayer(0, new BackgroundLayer(null, new Gradient("#000000", "#ffffff", "diagonal"))), "scene.layers[0].gradient.direction"),
                Arguments.of(withLayer(1, new ShapeLayer("triangle", "#ff8800", 10, 10, 0, 0)), "scene.layers[1].shape"),
                Arguments.of(withLayer(1, new ShapeLayer("circle", null, 10, 10, 0, 0)), "scene.layers[1].color"),
                Arguments.of(withLayer(1, new ShapeLayer("circle", "#ff8800", 0, 10, 0, 0)), "scene.layers[1].width"),
                Arguments.of(withLayer(1, new ShapeLayer("circle", "#ff8800", 1282, 10, 0, 0)), "scene.layers[1].width"),
                Arguments.of(withLayer(1, new ShapeLayer("circle", "#ff8800", 10, 722, 0, 0)), "scene.layers[1].height"),
                Arguments.of(withLayer(1, new ShapeLayer("circle", "#ff8800", 10, 10, 1e6, 0)), "scene.layers[1].speedX"),
                Arguments.of(withLayer(1, new ShapeLayer("circle", "#ff8800", 10, 10, 0, -1e6)), "scene.layers[1].speedY"),
                Arguments.of(withLayer(2, new TextLayer("", 0, 0, 36, "#ffffff")), "scene.layers[2].text"),
                Arguments.of(withLayer(2, new TextLayer(null, 0, 0, 36, "#ffffff")), "scene.layers[2].text"),
                Arguments.of(withLayer(2, new TextLayer("x".repeat(257), 0, 0, 36, "#ffffff")), "scene.layers[2].text"),
                Arguments.of(withLayer(2, new TextLayer("hi", -1, 0, 36, "#ffffff")), "scene.layers[2].x"),
                Arguments.of(withLayer(2, new TextLayer("hi", 0, 720, 36, "#ffffff")), "scene.layers[2].y"),
                Arguments.of(withLayer(2, new TextLayer("hi", 0, 0, 4, "#ffffff")), "scene.layers[2].size"),
                Arguments.of(withLayer(2, new TextLayer("hi", 0, 0, 36, "white")), "scene.layers[2].color"),
                Arguments.of(with(s -> new StreamSpec(null, "a", HD, new SceneSpec(Collections.nCopies(17, LAYERS.get(1))),
                        ENCODER, List.of(), null, 0, 0)), "scene.layers"),
                Arguments.of(withEncoder(new EncoderSpec("mpeg2", "veryfast", null, 2500, 2)), "encoder.codec"),
                Arguments.of(withLayer(1, new ShapeLayer("rectangle", "#ff8800", 160, 120, 0, 0).withId("Logo!")),
                        "scene.layers[1].id"),
                Arguments.of(withScene(new SceneSpec(List.of(LAYERS.get(0).withId("same"), LAYERS.get(1).withId("same")))),
                        "scene.layers[1].id"),
                Arguments.of(withLayer(1, new ShapeLayer(null, "rectangle", "#ff8800", 160, 120, 0, 0, null, null,
                        1.5, null)), "scene.layers[1].opacity"),
                Arguments.of(withLayer(1, new ImageLayer("logo", null, null, 0, 0, 100, 100, null, null)),
                        "scene.layers[1].source"),
                Arguments.of(withLayer(1, new ImageLayer("logo", "asset:a0", "stretch", 0, 0, 100, 100, null, null)),
                        "scene.layers[1].fit"),
                Arguments.of(withLayer(1, new ImageLayer("logo", "asset:a0", null, 0, 0, 1, 100, null, null)),
                        "scene.layers[1].width"),
                Arguments.of(withLayer(1, video(new Fallback("#000000", "asset:a1", null), null)),
                        "scene.layers[1].fallback"),
                Arguments.of(withLayer(1, video(new Fallback("black", null, null), null)),
                        "scene.layers[1].fallback.color"),
                Arguments.of(withLayer(1, video(null, -1)), "scene.layers[1].holdMs"),
                Arguments.of(withLayer(2, new TextLayer("t", "hi", 0, 0, 36, "#ffffff", 100, 40, "middle", null, null,
                        null)), "scene.layers[2].align"),
                Arguments.of(withScene(new SceneSpec(LAYERS, null, null, new ApplyAt(1L, 2L))), "scene.applyAt"),
                Arguments.of(withLayer(2, new TextLayer("t", "hi", 0, 0, 36, "#ffffff", null, null, null, null, null,
                        null, new Transition("fade", 70_000, null))), "scene.layers[2].transition.durationMs"),
                Arguments.of(withLayer(1, new ImageLayer("logo", "asset:a0", null, 0, 0, 100, 100, null, null,
                        new Transition("wipe", 500, null))), "scene.layers[1].transition.type"),
                Arguments.of(withScene(new SceneSpec(LAYERS, null, new Transition("wipe", 500, null), null)),
                        "scene.transition.type"),
                Arguments.of(withScene(new SceneSpec(LAYERS, null, new Transition("fade", 500, "bounce"), null)),
                        "scene.transition.easing"),
                Arguments.of(withScene(new SceneSpec(LAYERS, new Slate("#000000", "https://x.example/a.png", null),
                        null, null)), "scene.slate.source"),
                Arguments.of(withEncoder(new EncoderSpec("h264", "turbo", null, 2500, 2)), "encoder.preset"),
                Arguments.of(withEncoder(new EncoderSpec("h264", "veryfast", "cartoon", 2500, 2)), "encoder.tune"),
                Arguments.of(withEncoder(new EncoderSpec("h264", "veryfast", null, 50, 2)), "encoder.bitrateKbps"),
                Arguments.of(withEncoder(new EncoderSpec("h264", "veryfast", null, 60_000, 2)), "encoder.bitrateKbps"),
                Arguments.of(withEncoder(new EncoderSpec("h264", "veryfast", null, 2500, 11)), "encoder.keyframeIntervalSeconds"),
                Arguments.of(withEncoder(new EncoderSpec("h264", "veryfast", null, 2500, -1)), "encoder.keyframeIntervalSeconds"),
                Arguments.of(withOutputs(new OutputSpec("a", "rtmp://h/live/k"), new OutputSpec("a", "rtmp://h/live/j")), "outputs[1].id"),
                Arguments.of(withOutputs(new OutputSpec(null, "rtmp://h/live/k")), "outputs[0].id"),
                Arguments.of(withOutputs(new OutputSpec("a", "http://h/live/k")), "outputs[0].url"),
                Arguments.of(withOutputs(new OutputSpec("a", "rtmp:///live/k")), "outputs[0].url"),
                Arguments.of(withOutputs(new OutputSpec("a", "not a url")), "outputs[0].url"),
                Arguments.of(withOutputs(new OutputSpec("a", "record:../../etc")), "outputs[0].url"),
                Arguments.of(withOutputs(new OutputSpec("a", "record:a b")), "outputs[0].url"),
                Arguments.of(withOutputs(new OutputSpec("a", null)), "outputs[0].url"),
                Arguments.of(withOutputs(new OutputSpec("a", "rtmp://h/live/k", null, new RetrySpec(-1, null, null))),
                        "outputs[0].retry.attempts"),
                Arguments.of(withOutputs(new OutputSpec("a", "rtmp://h/live/k", null, new RetrySpec(0, -5L, null))),
                        "outputs[0].retry.delayMs"),
                Arguments.of(withOutputs(new OutputSpec("a", "rtmp://h/live/k", null, new RetrySpec(0, 2000L, 1000L))),
                        "outputs[0].retry.maxDelayMs"),
                Arguments.of(withOutputs(new OutputSpec("a", "rtmp://h/live/k", false, new RetrySpec(0, 1L, 86_400_000L))),
                        "outputs[0].retry.maxDelayMs"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badSpecs")
    void aBadSpecIsRejectedNamingTheBadField(StreamSpec spec, String field) {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> StreamSpecValidator.validate(spec));
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void theExampleSpecIsValid() {
        assertDoesNotThrow(() -> StreamSpecValidator.validate(valid()));
    }

    @Test
    void defaultsFillAMissingSceneAndEncoder() {
        StreamSpec bare = new StreamSpec(null, "bare", HD, null, null, null, null, 0, 0).withDefaults();
        assertDoesNotThrow(() -> StreamSpecValidator.validate(bare));
    }

    @Test
    void rtmpsOutputsAndTheMaximumSizesAreAccepted() {
        assertDoesNotThrow(() -> StreamSpecValidator.validate(withOutputs(new OutputSpec("yt", "rtmps://a.example/live2/key"))));
        assertDoesNotThrow(() -> StreamSpecValidator.validate(withOutputs(new OutputSpec("archive", "record:"),
                new OutputSpec("named", "record:show-2026_12"))));
        assertDoesNotThrow(() -> StreamSpecValidator.validate(withVideo(3840, 2160, 60)));
    }
}
