package io.streammanager.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.bus.control.Scope;
import io.streammanager.bus.control.StreamKeyRecord;
import io.streammanager.bus.control.StreamKeys;
import io.streammanager.gateway.relay.LiveStream;
import io.streammanager.gateway.relay.StreamRegistry;
import io.streammanager.gateway.server.ConnectionRegistry;
import io.streammanager.gateway.server.RtmpServer;
import com.sun.net.httpserver.HttpServer;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
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

    private HttpServer pageServer;

    @AfterEach
    void stopPageServer() {
        if (pageServer != null) {
            pageServer.stop(0);
        }
    }

    private String publishUrl(String name) {
        String secret = StreamKeys.generate();
        StreamKeyRecord record = new StreamKeyRecord(name, Set.of(Scope.PUBLISH), "id-" + name, 0, false);
        redis.hash(String.class).hset(RedisKeys.streamKey(StreamKeys.hash(secret)), record.toMap());
        return "rtmp://127.0.0.1:" + server.actualPort() + "/live/" + name + "?key=" + secret;
    }

    /**
     * Serves the test page and mpegts.js on 127.0.0.1, port 0 (the JDK's server: a second server on Quarkus's Vert.x
     * would collide with its HTTP metrics); returns the page's URL.
     */
    private String servePage(Path nodeModules) throws Exception {
        Map<String, Path> files = Map.of(
                "/player.html", WebTestTools.WEB_SOURCES.resolve("player.html"),
                "/mpegts.js", nodeModules.resolve("mpegts.js/dist/mpegts.js"));
        pageServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        pageServer.createContext("/", exchange -> {
            try (exchange) {
                Path file = files.get(exchange.getRequestURI().getPath());
                if (file == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = Files.readAllBytes(file);
                exchange.getResponseHeaders().add("Content-Type",
                        file.toString().endsWith(".html") ? "text/html; charset=utf-8" : "text/javascript");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        pageServer.start();
        return "http://127.0.0.1:" + pageServer.getAddress().getPort() + "/player.html";
    }

    @Test
    void chromiumPlaysTheStreamWithMpegtsJsOverHttpFlvAndWebSocketFlv(TestInfo test) throws Exception {
        WebTestTools.requireChromium();
        Path dir = Files.createDirectories(Path.of("target", "it-logs", test.getTestMethod().orElseThrow().getName()));
        Path nodeModules = WebTestTools.nodeModules(dir);
        String pageUrl = servePage(nodeModules);
        String base = "127.0.0.1:" + RestAssured.port + "/live/browser.flv";
        String httpFlv = "http://" + base;
        String wsFlv = "ws://" + base;
        Path profile = Files.createDirectories(Path.of("target", "browser-profile-" + System.nanoTime())).toAbsolutePath();
        Path tmp = Files.createDirectories(Path.of("target", "browser-tmp")).toAbsolutePath();
        Set<String> rolesSeen = ConcurrentHashMap.newKeySet();
        try (ExternalProcess publisher = ExternalProcess.start("publish-browser", dir, Clients.publish(publishUrl("browser"), 90))) {
            WsFlvIntegrationTest.await("a publisher on browser", Duration.ofSeconds(20),
                    () -> streams.find("browser").map(LiveStream::hasPublisher).orElse(false) || !publisher.alive());
            assertTrue(publisher.alive(), publisher.tail());
            List<String> command = List.of("node", WebTestTools.WEB_SOURCES.resolve("play.js").toAbsolutePath().toString(),
                    WebTestTools.CHROMIUM.toString(), profile.toString(), pageUrl, Integer.toString(WANTED_SECONDS), "60",
                    httpFlv, wsFlv);
            try (ExternalProcess browser = ExternalProcess.start("chromium", dir, null, command,
                    Map.of("WEB_TEST_MODULES", nodeModules.toAbsolutePath().toString(), "TMPDIR", tmp.toString()))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (browser.alive() && System.nanoTime() < deadline) {
                    connections.sessions().stream().filter(s -> "browser".equals(s.stream()))
                            .forEach(s -> rolesSeen.add(s.role()));
                    Thread.sleep(200);
                }
                assertTrue(browser.waitFor(Duration.ofSeconds(1)), "the browser run did not end: " + browser.tail());
                assertEquals(0, browser.exitCode(), browser.tail());
                String output = browser.output();
                assertPlayed(httpFlv, output);
                assertPlayed(wsFlv, output);
            }
            assertTrue(publisher.alive(), publisher.tail());
        } finally {
            assertNoBrowserLeft(profile);
            deleteTree(profile);
            deleteTree(tmp);
        }
        assertTrue(rolesSeen.containsAll(Set.of("http-flv-player", "ws-flv-player")), rolesSeen.toString());
        WsFlvIntegrationTest.await("browser players gone", Duration.ofSeconds(10), () -> connections.sessions().stream()
                .noneMatch(s -> "browser".equals(s.stream()) && s.role().endsWith("flv-player")));
    }

    /** The source's samples show frames decoded and advancing, playback past the wanted time, the published size. */
    private static void assertPlayed(String source, String output) {
        List<JsonNode> samples = new ArrayList<>();
        JsonNode capabilities = null;
        for (String line : output.split("\n")) {
            JsonNode node = WebTestTools.parse(line);
            if (node == null || !source.equals(node.path("source").asText())) {
                continue;
            }
            if (node.has("capabilities")) {
                capabilities = node.get("capabilities");
            } else if (node.has("totalVideoFrames")) {
                samples.add(node);
            }
        }
        assertTrue(capabilities != null && capabilities.path("mse").asBoolean() && capabilities.path("h264").asBoolean(),
                "Chromium must play H.264 through MSE: " + capabilities);
        assertTrue(samples.size() >= 2, source + ": samples " + samples);
        JsonNode last = samples.getLast();
        String context = source + ": last sample " + last;
        assertEquals(0, last.path("errors").size(), context);
        assertTrue(last.path("currentTime").asDouble() >= WANTED_SECONDS, context);
        assertEquals(640, last.path("width").asInt(), context);
        assertEquals(360, last.path("height").asInt(), context);
        assertTrue(samples.stream().anyMatch(s -> s.path("totalVideoFrames").asInt() > 0), source + ": no frame ever decoded");
        // over the second half of the run, frames keep being decoded at about the published 30 fps
        JsonNode middle = samples.get(samples.size() / 2);
        int decodedMeanwhile = last.path("totalVideoFrames").asInt() - middle.path("totalVideoFrames").asInt();
        double playedMeanwhile = last.path("currentTime").asDouble() - middle.path("currentTime").asDouble();
        assertTrue(playedMeanwhile >= 1.5 && decodedMeanwhile >= playedMeanwhile * 20,
                source + ": decoded " + decodedMeanwhile + " frames over " + playedMeanwhile + " s; " + context);
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Nothing of this test's browser may outlive it: no process with its profile directory on its command line. */
    private static void assertNoBrowserLeft(Path profile) {
        List<ProcessHandle> left = ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                .map(args -> String.join(" ", args).contains(profile.toString())).orElse(false)).toList();
        left.forEach(ProcessHandle::destroyForcibly);
        assertTrue(left.isEmpty(), "browser processes left behind: " + left.stream().map(ProcessHandle::pid).toList());
    }
}
