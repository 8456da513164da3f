package io.streammanager.composition.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutputUrlsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "rtmp://a.rtmp.youtube.com/live2/abcd-efgh-ijkl | rtmp://a.rtmp.youtube.com/live2/***",
            "rtmps://live-api-s.facebook.com:443/rtmp/FB-123?s_bl=1&s_sc=2 | rtmps://live-api-s.facebook.com:443/rtmp/***?s_bl=***&s_sc=***",
            "rtmp://127.0.0.1:1935/live/demo?key=secret | rtmp://127.0.0.1:1935/live/***?key=***",
            "rtmp://user:password@host/app | rtmp://***@host/app",
            "rtmp://host/app | rtmp://host/app",
            "rtmp://host | rtmp://host",
            "rtmp://host/app/a/b | rtmp://host/app/***/***",
            "not a url at all | ***",
            "record: | record:",
            "record:archive | record:archive"})
    void streamKeysInPathQueryAndUserInfoAreMasked(String url, String masked) {
        assertEquals(masked, OutputUrls.mask(url));
    }
}
