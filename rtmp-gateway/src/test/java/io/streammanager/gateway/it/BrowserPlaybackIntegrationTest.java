package io.streammanager.gateway.it;

import io.streammanager.bus.testing.ExternalProcess;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streammanager.bus.testing.BrowserPlayback;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The browser proof: headless Chromium (Debian's) loads a page with mpegts.js and plays a live stream from the gateway
 * over HTTP-FLV and over WebSocket-FLV at once, and each {@code <video>} decodes frames that keep advancing, at the
 * published size. The page is served cross-origin from a tiny server of this test on another port, so the
 * gateway's CORS header and its acceptance of any WebSocket origin are exercised too. FFmpeg publishes a 640x360
 * H.264/AAC test pattern.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class BrowserPlaybackIntegrationTest extends GatewayIT {

    private static final int WANTED_SECONDS = 5;

    @Test
    void chromiumPlaysTheStreamWithMpegtsJsOverHttpFlvAndWebSocketFlv() throws Exception {
        String base = "127.0.0.1:" + playbackPort() + "/live/browser.flv";
        String httpFlv = "http://" + base;
        String wsFlv = "ws://" + base;
        Set<String> rolesSeen = ConcurrentHashMap.newKeySet();
        try (ExternalProcess publisher = startPublisher("browser", createKey("browser"), 90)) {
            BrowserPlayback.Result result = BrowserPlayback.play(dir.resolve("browser"), WANTED_SECONDS,
                    Duration.ofSeconds(60), () -> connections.sessions().stream()
                            .filter(s -> "browser".equals(s.stream())).forEach(s -> rolesSeen.add(s.role())),
                    httpFlv, wsFlv);
            BrowserPlayback.assertPlayed(result, httpFlv, WANTED_SECONDS, 640, 360, "");
            BrowserPlayback.assertPlayed(result, wsFlv, WANTED_SECONDS, 640, 360, "");
            assertTrue(publisher.alive(), publisher.tail());
        }
        assertTrue(rolesSeen.containsAll(Set.of("http-flv-player", "ws-flv-player")), rolesSeen.toString());
        ItSupport.await("browser players gone", Duration.ofSeconds(10), () -> connections.sessions().stream()
                .noneMatch(s -> "browser".equals(s.stream()) && s.role().endsWith("flv-player")));
    }
}
