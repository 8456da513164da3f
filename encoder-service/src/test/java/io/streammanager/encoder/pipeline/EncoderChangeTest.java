package io.streammanager.encoder.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.control.spec.RenditionSpec;

class EncoderChangeTest {

    @ParameterizedTest(name = "{0}/{1}/{2}/{3}kbps/{4}s -> {5}")
    @CsvSource({
            "h264, veryfast, zerolatency, 2500, 2, NONE",
            ",     ,         ,            2500, 2, NONE",
            "h264, veryfast, zerolatency, 4000, 2, BITRATE",
            "h264, veryfast, zerolatency,  800, 2, BITRATE",
            "h264, fast,     zerolatency, 2500, 2, REOPEN",
            "h264, veryfast, film,        2500, 2, REOPEN",
            "h264, veryfast, zerolatency, 2500, 4, REOPEN",
            "h264, fast,     zerolatency, 4000, 2, REOPEN",
    })
    void aChangeIsClassifiedByWhatTheEncoderCanTakeLive(String codec, String preset, String tune, int kbps,
                                                        int keyframeSeconds, EncoderChange expected) {
        EncoderSpec running = new EncoderSpec("h264", "veryfast", "zerolatency", 2500, 2);
        assertEquals(expected, EncoderChange.between(running,
                new EncoderSpec(codec, preset, tune, kbps, keyframeSeconds)));
    }

    private static EncoderSpec ladder(RenditionSpec... renditions) {
        return new EncoderSpec("h264", "veryfast", "zerolatency", 2500, 2, List.of(renditions), null, null);
    }

    @Test
    void aLadderChangesInPlaceOnlyWhenJustItsBitratesMove() {
        RenditionSpec hd = new RenditionSpec("hd", 1280, 720, 2500);
        RenditionSpec sd = new RenditionSpec("sd", 640, 360, 800);
        assertEquals(EncoderChange.NONE, EncoderChange.between(ladder(hd, sd), ladder(hd, sd)));
        assertEquals(EncoderChange.BITRATE, EncoderChange.between(ladder(hd, sd),
                ladder(hd, new RenditionSpec("sd", 640, 360, 600))));
        assertEquals(EncoderChange.REOPEN, EncoderChange.between(ladder(hd, sd), ladder(hd)));
        assertEquals(EncoderChange.REOPEN, EncoderChange.between(ladder(hd, sd),
                ladder(hd, new RenditionSpec("sd", 854, 480, 800))));
        assertEquals(EncoderChange.REOPEN, EncoderChange.between(ladder(hd, sd),
                ladder(hd, new RenditionSpec("sd", 640, 360, 800, 15, null, null))));
        assertEquals(EncoderChange.REOPEN, EncoderChange.between(EncoderSpec.DEFAULT, ladder(hd, sd)));
        assertEquals(EncoderChange.REOPEN, EncoderChange.between(EncoderSpec.DEFAULT,
                EncoderSpec.DEFAULT.withRenditions(null).withHwaccel("none")));
    }
}
