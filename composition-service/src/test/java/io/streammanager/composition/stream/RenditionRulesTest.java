package io.streammanager.composition.stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.control.spec.OutputSpec;
import io.streammanager.bus.control.spec.RenditionSpec;
import io.streammanager.bus.control.spec.VideoSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RenditionRulesTest {

    static final VideoSpec HD = new VideoSpec(1280, 720, 30);
    static final RenditionSpec HIGH = new RenditionSpec("hd", 1280, 720, 2500);
    static final RenditionSpec LOW = new RenditionSpec("sd", 640, 360, 800);

    static EncoderSpec ladder(RenditionSpec... renditions) {
        return new EncoderSpec("h264", "veryfast", "zerolatency", 2500, 2, List.of(renditions), null, null);
    }

    static void check(EncoderSpec encoder, OutputSpec... outputs) {
        RenditionRules.validate(encoder.withDefaults(), HD, List.of(outputs));
    }

    static Stream<Arguments> refused() {
        List<RenditionSpec> seven = new ArrayList<>(Collections.nCopies(7, LOW));
        for (int i = 0; i < seven.size(); i++) {
            seven.set(i, new RenditionSpec("r" + i, 640, 360, 800));
        }
        return Stream.of(
                Arguments.of(new EncoderSpec("mpeg2", null, null, 0, 0), "encoder.codec"),
                Arguments.of(new EncoderSpec("h264", null, null, 0, 0, null, null, "cuda"), "encoder.hwaccel"),
                Arguments.of(new EncoderSpec("h264", null, null, 0, 0, null, "tiny", null), "encoder.ladder"),
                Arguments.of(new EncoderSpec("h264", null, null, 0, 0, List.of(HIGH), "standard", null),
                        "encoder.ladder"),
                Arguments.of(new EncoderSpec("h264", null, null, 0, 0, List.of(), null, null), "encoder.renditions"),
                Arguments.of(new EncoderSpec("h264", null, null, 0, 0, seven, null, null), "encoder.renditions"),
                Arguments.of(ladder(HIGH, new RenditionSpec("HD!", 640, 360, 800)), "encoder.renditions[1].id"),
                Arguments.of(ladder(HIGH, new RenditionSpec("hd", 640, 360, 800)), "encoder.renditions[1].id"),
                Arguments.of(ladder(HIGH, new RenditionSpec("sd", 641, 360, 800)), "encoder.renditions[1].width"),
                Arguments.of(ladder(HIGH, new RenditionSpec("sd", 1920, 360, 800)), "encoder.renditions[1].width"),
                Arguments.of(ladder(new RenditionSpec("sd", 640, 1080, 800)), "encoder.renditions[0].height"),
                Arguments.of(ladder(HIGH, new RenditionSpec("sd", 640, 360, 10)), "encoder.renditions[1].bitrateKbps"),
                Arguments.of(ladder(HIGH, new RenditionSpec("sd", 640, 360, 800, 20, null, null)),
                        "encoder.renditions[1].fps"),
                Arguments.of(ladder(HIGH, new RenditionSpec("sd", 640, 360, 800, 60, null, null)),
                        "encoder.renditions[1].fps"),
                Arguments.of(ladder(HIGH, new RenditionSpec("sd", 640, 360, 800, null, "theora", null)),
                        "encoder.renditions[1].codec"),
                Arguments.of(ladder(HIGH, new RenditionSpec("sd", 640, 360, 800, null, "vp9", "high")),
                        "encoder.renditions[1].profile"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void aBadEncodingIsRefusedNamingTheField(EncoderSpec encoder, String field) {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> check(encoder));
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void aLadderWithinTheCanvasIsAccepted() {
        assertDoesNotThrow(() -> check(ladder(HIGH, LOW,
                new RenditionSpec("mobile", 426, 240, 400, 15, "vp9", null),
                new RenditionSpec("hq", 1280, 720, 4000, 30, "h264", "high"))));
        assertDoesNotThrow(() -> check(new EncoderSpec("vp9", null, null, 0, 0, null, "standard", "none")));
    }

    @Test
    void anOutputMustNameAnExistingRenditionThatRtmpCanCarry() {
        RenditionSpec vp8 = new RenditionSpec("webm", 640, 360, 800, null, "vp8", null);
        assertDoesNotThrow(() -> check(ladder(HIGH, LOW), new OutputSpec("a", "rtmp://h/app/k", null, null, "sd")));
        InvalidSpecException unknown = assertThrows(InvalidSpecException.class,
                () -> check(ladder(HIGH, LOW), new OutputSpec("a", "rtmp://h/app/k", null, null, "4k")));
        assertEquals("outputs[0].rendition", unknown.field());
        InvalidSpecException vp8Out = assertThrows(InvalidSpecException.class,
                () -> check(ladder(HIGH, vp8), new OutputSpec("a", "rtmp://h/app/k"),
                        new OutputSpec("b", "rtmp://h/app/k", null, null, "webm")));
        assertEquals("outputs[1].rendition", vp8Out.field(), vp8Out.getMessage());
        // a VP8 rendition is fine as long as no RTMP output asks for it; a recording of it is (WebM)
        assertDoesNotThrow(() -> check(ladder(HIGH, vp8), new OutputSpec("a", "rtmp://h/app/k")));
        assertDoesNotThrow(() -> check(ladder(HIGH, vp8), new OutputSpec("rec", "record:", null, null, "webm")));
    }

    @Test
    void theStandardLadderIsCappedAtTheCanvas() {
        List<RenditionSpec> rungs = new EncoderSpec("h264", null, null, 0, 0, null, "standard", null)
                .renditionsFor(HD);
        assertEquals(List.of("720p", "480p", "360p"), rungs.stream().map(RenditionSpec::id).toList());
        assertEquals(854, rungs.get(1).width());
        assertEquals(List.of("main"), EncoderSpec.DEFAULT.renditionsFor(new VideoSpec(320, 240, 30)).stream()
                .map(RenditionSpec::id).toList());
    }
}
