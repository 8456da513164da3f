package io.streammanager.muxer.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class UrlMaskingTest {

    @Test
    void hidesTheKeyParameterAndThePlatformStreamKey() {
        assertEquals("rtmp://127.0.0.1:1935/live/***?key=***",
                UrlMasking.mask("rtmp://127.0.0.1:1935/live/demo?key=s3cr3t-Value_x"));
        assertEquals("rtmps://live.example.invalid:443/app/***",
                UrlMasking.mask("rtmps://live.example.invalid:443/app/abcd-efgh-ijkl"));
        String ffmpegLine = "Cannot open rtmp://h/live2/xyz123 and tcp://h:1935?key=zz";
        String masked = UrlMasking.mask(ffmpegLine);
        assertFalse(masked.contains("xyz123") || masked.contains("zz"), masked);
    }

    @Test
    void leavesFilePathsAndPlainTextAlone() {
        assertEquals("/tmp/recordings/demo.flv", UrlMasking.mask("/tmp/recordings/demo.flv"));
        assertEquals("Connection refused", UrlMasking.mask("Connection refused"));
    }

    @Test
    void anOutputTargetNeverPrintsItsSecret() {
        OutputTarget target = new OutputTarget("gateway", "rtmp://127.0.0.1:1935/live/demo?key=topsecret", "flv", true);
        assertFalse(target.toString().contains("topsecret"));
    }
}
