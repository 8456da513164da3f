package io.streammanager.encoder.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.streammanager.bus.control.spec.EncoderSpec;

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
}
