package io.streammanager.gateway.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.streammanager.bus.testing.BrowserPlayback;
import io.streammanager.gateway.relay.LiveStream;
import io.streammanager.gateway.relay.StreamRegistry;
import io.streammanager.gateway.server.ConnectionRegistry;
import io.streammanager.gateway.server.RtmpServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The browser proof: headless Chromium (Debian's) loads a page with mpegts.js and plays a live stream from the gateway
 * over HTTP-FLV and over WebSocket-FLV at once, and each {@code <video>} decodes frames that keep advancing, at the
 * published size. The page is served cross-origin from a tiny server of this test on another port, so the
 * gateway's CORS header and its acceptance of any WebSocket origin are exercised too. FFmpeg publishes a 640x360
 * H.264/AAC test pattern.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class BrowserPlaybackIntegrationTest {

    private static final int WANTED_SECONDS = 5;

    @Inject
    RtmpServer server;
    @Inject
    RedisDataSource redis;
    @Inject
    StreamRegistry streams;
    @Inject
    ConnectionRegistry connections;

    private String publishUrl(String name) {
        String secret = ItSupport.createKey(redis, name);
        return "rtmp://127.0.0.1:" + server.actualPort() + "/live/" + name + "?key=" + secret;
    }

    @Test
    void chromiumPlaysTheStreamWithMpegtsJsOverHttpFlvAndWebSocketFlv(TestInfo test) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "it-logs", test.getTestMethod().orElseThrow().getName()));
        String base = "127.0.0.1:" + RestAssured.port + "/live/browser.flv";
        String httpFlv = "http://" + base;
        String wsFlv = "ws://" + base;
        Set<String> rolesSeen = ConcurrentHashMap.newKeySet();
        try (ExternalProcess publisher = ExternalProcess.start("publish-browser", dir, Clients.publish(publishUrl("browser"), 90))) {
            ItSupport.await("a publisher on browser", Duration.ofSeconds(20),
                    () -> streams.find("browser").map(LiveStream::hasPublisher).orElse(false) || !publisher.alive());
            assertTrue(publisher.alive(), publisher.tail());
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
