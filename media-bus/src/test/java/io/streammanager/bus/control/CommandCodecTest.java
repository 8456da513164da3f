package io.streammanager.bus.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.streammanager.bus.control.spec.AudioLayer;
import io.streammanager.bus.control.spec.BackgroundLayer;
import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.control.spec.OutputSpec;
import io.streammanager.bus.control.spec.RetrySpec;
import io.streammanager.bus.control.spec.SceneSpec;
import io.streammanager.bus.control.spec.ShapeLayer;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.TextLayer;
import io.streammanager.bus.control.spec.VideoSpec;

class CommandCodecTest {

    static StreamSpec sampleSpec() {
        return new StreamSpec("s1", "demo", new VideoSpec(1280, 720, 30), SceneSpec.DEFAULT,
                EncoderSpec.DEFAULT, List.of(new OutputSpec("backup", "rtmp://127.0.0.1:1936/live/x")), "secret",
                1234L, 1L);
    }

    @Test
    void startStreamSurvivesTheRoundTripWithEveryLayerKind() {
        StartStream start = new StartStream(sampleSpec());
        Command decoded = CommandCodec.decode(CommandCodec.encode(start));
        assertEquals(start, decoded);
        StreamSpec spec = ((StartStream) decoded).spec();
        assertInstanceOf(BackgroundLayer.class, spec.scene().layers().get(0));
        assertInstanceOf(ShapeLayer.class, spec.scene().layers().get(1));
        assertInstanceOf(TextLayer.class, spec.scene().layers().get(2));
    }

    @Test
    void anAudioLayerSurvivesTheRoundTripAndIsNamedByItsType() {
        SceneSpec scene = new SceneSpec(List.of(SceneSpec.DEFAULT.layers().get(0),
                new AudioLayer(null, "asset:bed", true, 0.5, false, null))).withLayerIds();
        StreamSpec spec = new StreamSpec("s1", "demo", new VideoSpec(1280, 720, 30), scene, EncoderSpec.DEFAULT,
                List.of(), null, 1L, 1L);
        StreamSpec decoded = ((StartStream) CommandCodec.decode(CommandCodec.encode(new StartStream(spec)))).spec();
        assertEquals(spec, decoded);
        AudioLayer audio = assertInstanceOf(AudioLayer.class, decoded.scene().layers().get(1));
        assertEquals("audio-1", audio.id());
        assertEquals(0.5, audio.gain());
        assertEquals(0.0, new AudioLayer("a", "asset:bed", null, 2.0, true, null).gain(), "muted");
        assertEquals(1.0, new AudioLayer("a", "asset:bed", null, null, null, null).gain(), "default volume");
    }

    @Test
    void stopStreamSurvivesTheRoundTrip() {
        StopStream stop = new StopStream("s1", "demo", "deleted");
        assertEquals(stop, CommandCodec.decode(CommandCodec.encode(stop)));
    }

    @Test
    void updateStreamKeepsTheSpecAndWhatChanged() {
        UpdateStream update = new UpdateStream(sampleSpec(), List.of("scene", "outputs"));
        assertEquals(update, CommandCodec.decode(CommandCodec.encode(update)));
        UpdateStream nothingNamed = new UpdateStream(sampleSpec(), List.of());
        assertEquals(nothingNamed, CommandCodec.decode(CommandCodec.encode(nothingNamed)));
    }

    @Test
    void restartOutputSurvivesTheRoundTrip() {
        RestartOutput restart = new RestartOutput("s1", "youtube");
        assertEquals(restart, CommandCodec.decode(CommandCodec.encode(restart)));
    }

    @Test
    void outputEnabledFlagAndRetryPolicySurviveTheSpecJson() {
        StreamSpec spec = new StreamSpec("s1", "demo", new VideoSpec(640, 360, 30), SceneSpec.DEFAULT,
                EncoderSpec.DEFAULT, List.of(new OutputSpec("a", "rtmp://h/live/a", false,
                        new RetrySpec(0, 500L, 20_000L))), "k", 1L, 3L);
        StreamSpec decoded = StreamSpecJson.read(StreamSpecJson.write(spec));
        assertEquals(spec, decoded);
        assertEquals(false, decoded.outputs().get(0).enabledOrDefault());
        assertEquals(true, StreamSpecJson.read(StreamSpecJson.write(CommandCodecTest.sampleSpec()))
                .outputs().get(0).enabledOrDefault());
    }

    @Test
    void unknownVersionIsRefusedNamingTheVersion() {
        Map<String, String> fields = new HashMap<>(CommandCodec.encode(new StopStream("s1", "demo", "x")));
        fields.put("v", "99");
        CodecException e = assertThrows(CodecException.class, () -> CommandCodec.decode(fields));
        assertTrue(e.getMessage().contains("v=99"), e.getMessage());
    }

    @Test
    void unknownTypeAndMissingFieldsAreRefusedNamingThem() {
        assertTrue(assertThrows(CodecException.class, () -> CommandCodec.decode(Map.of("v", "1", "type", "nope")))
                .getMessage().contains("nope"));
        assertTrue(assertThrows(CodecException.class,
                () -> CommandCodec.decode(Map.of("v", "1", "type", "stream.stop", "streamId", "s1")))
                .getMessage().contains("streamName"));
    }

    @Test
    void eventAttributesSurviveTheRoundTrip() {
        BusEvent event = new BusEvent("output.state", "s1", "muxer", 42L, Map.of("output", "gw", "state", "LIVE"));
        assertEquals(event, EventCodec.decode(EventCodec.encode(event)));
    }

    @Test
    void specDefaultsFillMissingEncoderValues() {
        EncoderSpec partial = new EncoderSpec("h264", null, null, 4000, 0);
        EncoderSpec filled = partial.withDefaults();
        assertEquals(new EncoderSpec("h264", "veryfast", "zerolatency", 4000, 2), filled);
    }
}
