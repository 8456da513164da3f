package io.streammanager.ffmpeg;

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
    void hidesTokensSrtPassphrasesAndUserInfo() {
        assertEquals("http://127.0.0.1:8080/live/demo.flv?token=***",
                UrlMasking.mask("http://127.0.0.1:8080/live/demo.flv?token=1.abc.def"));
        assertEquals("srt://127.0.0.1:9000?mode=caller&passphrase=***&latency=120",
                UrlMasking.mask("srt://127.0.0.1:9000?mode=caller&passphrase=longsecret1&latency=120"));
        assertEquals("Failed to open rtmp://***@h:1935/app/***",
                UrlMasking.mask("Failed to open rtmp://user:pw@h:1935/app/sk"));
        assertEquals("https://***@example.invalid/a.mp4", UrlMasking.mask("https://me:pw@example.invalid/a.mp4"));
    }

    @Test
    void leavesFilePathsAndPlainTextAlone() {
        assertEquals("/tmp/recordings/demo.flv", UrlMasking.mask("/tmp/recordings/demo.flv"));
        assertEquals("Connection refused", UrlMasking.mask("Connection refused"));
        assertEquals("user@example.invalid wrote http://example.invalid/a.mp4",
                UrlMasking.mask("user@example.invalid wrote http://example.invalid/a.mp4"));
    }
}
