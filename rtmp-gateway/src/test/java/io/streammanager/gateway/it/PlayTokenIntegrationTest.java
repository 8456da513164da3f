package io.streammanager.gateway.it;

import io.streammanager.bus.testing.ExternalProcess;

import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.streammanager.bus.control.BusEvent;
import io.streammanager.bus.control.EventBus;
import io.streammanager.bus.control.EventTypes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * With a play-token secret configured (and play-requires-key off), every protocol needs a token for the stream, or a
 * play key: RTMP (FFmpeg), HTTP-FLV and WebSocket-FLV. Bad tokens count in the per-address limiter and are reported
 * without the token.
 */
@QuarkusTest
@TestProfile(PlayTokenIntegrationTest.TokensOn.class)
@WithTestResource(RedisTestResource.class)
class PlayTokenIntegrationTest extends GatewayIT {

    static final String SECRET = "integration-test-secret-of-at-least-32-chars";

    public static class TokensOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.auth.play-token-secret", SECRET,
                    "gateway.auth.play-token-max-ttl", "1h");
        }
    }

    private static JsonPath issue(String streamName, long ttlSeconds) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("streamName", streamName, "ttlSeconds", ttlSeconds))
                .post("/api/v1/play-tokens").then().statusCode(201).extract().jsonPath();
    }

    private static String secret(String streamName, String... scopes) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("streamName", streamName, "scopes", List.of(scopes)))
                .post("/api/v1/keys").then().statusCode(201).extract().jsonPath().getString("secret");
    }

    private String rtmp(String name) {
        return "rtmp://127.0.0.1:" + server.actualPort() + "/live/" + name;
    }

    private String http(String name) {
        return "http://127.0.0.1:" + playbackPort() + "/live/" + name + ".flv";
    }

    private String ws(String name) {
        return "ws://127.0.0.1:" + playbackPort() + "/live/" + name + ".flv";
    }

    private ExternalProcess publish(String name) throws Exception {
        return startPublisher(name, secret(name, "publish"), 40);
    }

    /** An ffmpeg player that was refused: it ends, fails, and printed the gateway's reason. */
    private static void assertRefused(ExternalProcess player, String reason) throws InterruptedException {
        assertTrue(player.waitFor(Duration.ofSeconds(20)), player.tail());
        assertNotEquals(0, player.exitCode(), player.tail());
        assertTrue(player.output().contains(reason), player.tail());
    }

    private static int wsHandshakeStatus(String url) {
        var failure = assertThrows(ExecutionException.class, () -> WsFlvClient.connect(url, 1).close());
        assertTrue(failure.getCause() instanceof WebSocketHandshakeException, failure.toString());
        return ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode();
    }

    @Test
    void theTokenEndpointAnswersATokenWithReadyUrlsAndNamesTheBadField() {
        long before = System.currentTimeMillis();
        JsonPath issued = issue("tok-api", 120);
        String token = issued.getString("token");
        assertTrue(token.matches("[0-9]+\\.[A-Za-z0-9_-]{43}"), token);
        long expiresAtMs = issued.getLong("expiresAtMs");
        assertTrue(expiresAtMs >= before + 120_000 && expiresAtMs <= System.currentTimeMillis() + 120_000, issued.prettify());
        assertEquals(rtmp("tok-api") + "?token=" + token, issued.getString("urls.rtmp"));
        assertEquals(http("tok-api") + "?token=" + token, issued.getString("urls.httpFlv"));
        assertEquals(ws("tok-api") + "?token=" + token, issued.getString("urls.wsFlv"));
        assertEquals("http://127.0.0.1:" + playbackPort() + "/hls/tok-api/master.m3u8?token=" + token,
                issued.getString("urls.hls"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("streamName", "a/b")).post("/api/v1/play-tokens")
                .then().statusCode(400).body("field", equalTo("streamName"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("streamName", "ok", "ttlSeconds", 3601)).post("/api/v1/play-tokens")
                .then().statusCode(400).body("field", equalTo("ttlSeconds"))
                .body("error", containsString("from 1 to 3600"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("streamName", "ok", "ttlSeconds", 0)).post("/api/v1/play-tokens")
                .then().statusCode(400).body("field", equalTo("ttlSeconds"));
        asAdmin().contentType(ContentType.JSON).post("/api/v1/play-tokens").then().statusCode(400).body("field", equalTo("body"));
        assertTrue(asAdmin().contentType(ContentType.JSON).body(Map.of("streamName", "ok")).post("/api/v1/play-tokens")
                .then().statusCode(201).extract().jsonPath().getLong("expiresAtMs") <= System.currentTimeMillis() + 300_000);
    }

    @Test
    void llHlsNeedsATokenOnEveryRequestAndItsPlaylistsCarryIt() throws Exception {
        String token = issue("tok-hls", 300).getString("token");
        String otherToken = issue("tok-other", 300).getString("token");
        String base = "http://127.0.0.1:" + playbackPort() + "/hls/tok-hls/";
        try (ExternalProcess publisher = publish("tok-hls")) {
            player().get(base + "master.m3u8").then().statusCode(403).body("field", equalTo("key"));
            player().get(base + "master.m3u8?token=" + otherToken).then().statusCode(403).body("field", equalTo("token"));
            player().get(base + "tok-hls/index.m3u8").then().statusCode(403);
            String[] master = {""};
            ItSupport.await("the master playlist with a token", Duration.ofSeconds(30), () -> {
                var response = player().get(base + "master.m3u8?token=" + token);
                master[0] = response.asString();
                return response.statusCode() == 200;
            });
            assertTrue(master[0].contains("tok-hls/index.m3u8?token=" + token + "\n"), master[0]);
            String playlist = player().get(base + "tok-hls/index.m3u8?token=" + token).then().statusCode(200)
                    .extract().asString();
            assertTrue(playlist.contains("#EXT-X-MAP:URI=\"init1.mp4?token=" + token + "\""), playlist);
            assertTrue(playlist.contains("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p"), playlist);
            player().get(base + "tok-hls/init1.mp4?token=" + token).then().statusCode(200)
                    .header("Content-Type", "video/mp4");
            player().get(base + "tok-hls/init1.mp4").then().statusCode(403);
            // ffmpeg follows the playlists' URIs, token included, and decodes
            try (ExternalProcess ffmpeg = ExternalProcess.start("play-hls", dir,
                    Clients.play(base + "master.m3u8?token=" + token, 60))) {
                assertTrue(ffmpeg.waitFor(Duration.ofSeconds(60)), ffmpeg.tail());
                assertEquals(0, ffmpeg.exitCode(), ffmpeg.tail());
            }
            assertTrue(publisher.alive(), publisher.tail());
        }
    }

    @Test
    void rtmpPlayersNeedATokenForTheStreamOrAPlayKey() throws Exception {
        String token = issue("tok-rtmp", 300).getString("token");
        String otherToken = issue("tok-other", 300).getString("token");
        String playKey = secret("tok-rtmp", "play");
        try (ExternalProcess publisher = publish("tok-rtmp")) {
            try (ExternalProcess none = ExternalProcess.start("play-none", dir, Clients.play(rtmp("tok-rtmp"), 30));
                 ExternalProcess other = ExternalProcess.start("play-other", dir,
                         Clients.play(rtmp("tok-rtmp") + "?token=" + otherToken, 30))) {
                assertRefused(none, "no stream key given (use ?key=... or ?token=...)");
                assertRefused(other, "play token is not valid for this stream name");
            }
            try (ExternalProcess withToken = ExternalProcess.start("play-token", dir,
                    Clients.play(rtmp("tok-rtmp") + "?token=" + token, 30));
                 ExternalProcess withKey = ExternalProcess.start("play-key", dir,
                         Clients.play(rtmp("tok-rtmp") + "?key=" + playKey, 30))) {
                for (ExternalProcess player : List.of(withToken, withKey)) {
                    assertTrue(player.waitFor(Duration.ofSeconds(30)), player.tail());
                    assertEquals(0, player.exitCode(), player.tail());
                    assertTrue(Clients.framesDecoded(player.output()) >= 30, player.tail());
                }
            }
            assertTrue(publisher.alive(), publisher.tail());
        }
    }

    @Test
    void httpFlvAndWebSocketFlvPlayersNeedATokenForTheStream() throws Exception {
        String token = issue("tok-web", 300).getString("token");
        String otherToken = issue("tok-web-other", 300).getString("token");
        try (ExternalProcess publisher = publish("tok-web")) {
            player().get("/live/tok-web.flv").then().statusCode(403).body("field", equalTo("key"));
            player().get("/live/tok-web.flv?token=" + otherToken).then().statusCode(403).body("field", equalTo("token"))
                    .body("error", equalTo("play token is not valid for this stream name"));
            assertEquals(403, wsHandshakeStatus(ws("tok-web") + "?token=" + otherToken));
            var request = HttpRequest.newBuilder(URI.create(http("tok-web") + "?token=" + token))
                    .timeout(Duration.ofSeconds(10)).build();
            var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (var body = response.body()) {
                assertEquals(200, response.statusCode());
                assertEquals('F', body.read(), "an FLV header follows");
            }
            try (WsFlvClient player = WsFlvClient.connect(ws("tok-web") + "?token=" + token, 50)) {
                ItSupport.await("tags over the WebSocket", Duration.ofSeconds(20), () -> player.count() >= 20);
                assertEquals('F', player.messages().getFirst()[0]);
                for (byte[] tag : player.messages().subList(1, player.count())) {
                    WsFlvIntegrationTest.checkOneTag(tag);
                }
            }
            assertTrue(publisher.alive(), publisher.tail());
        }
    }

    @Test
    void badTokensCountTowardsTheAddressBlockAndNeverAppearInEvents() throws Exception {
        var all = new EventBus(redis).readAfter("0-0", 100_000);
        String lastEvent = all.isEmpty() ? "0-0" : all.getLast().getKey();
        String expired = "1000." + "A".repeat(43);
        String forged = issue("tok-block", 300).getString("token").replaceFirst("\\.", "0.");
        player().get("/live/tok-block.flv?token=" + expired).then().statusCode(403)
                .body("error", equalTo("play token is not valid for this stream name"));
        player().get("/live/tok-block.flv?token=" + forged).then().statusCode(403);
        player().get("/live/tok-block.flv?token=garbage").then().statusCode(403).body("error", equalTo("malformed play token"));
        assertEquals(403, wsHandshakeStatus(ws("tok-block") + "?token=" + forged));
        player().get("/live/tok-block.flv?token=" + forged).then().statusCode(403);
        // the fifth failure (gateway.auth.max-failures) blocks the address: even a good token waits now
        String good = issue("tok-block", 300).getString("token");
        player().get("/live/tok-block.flv?token=" + good).then().statusCode(429);
        assertEquals(429, wsHandshakeStatus(ws("tok-block") + "?token=" + good));
        List<BusEvent> events = new EventBus(redis).readAfter(lastEvent, 10_000).stream().map(Map.Entry::getValue).toList();
        List<BusEvent> failures = events.stream().filter(e -> e.type().equals(EventTypes.AUTH_FAILED)).toList();
        assertEquals(5, failures.size(), events.toString());
        assertTrue(failures.stream().anyMatch(e -> "ws-flv".equals(e.attributes().get("protocol"))), failures.toString());
        String text = events.toString();
        for (String secret : List.of(expired, forged, good, forged.substring(forged.indexOf('.') + 1))) {
            assertFalse(text.contains(secret), "no token in events");
        }
    }

    private static io.restassured.response.ValidatableResponse revoke(String streamName, String token) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("streamName", streamName, "token", token))
                .post("/api/v1/play-tokens/revocations").then();
    }

    @Test
    void aRevokedTokenIsRefusedOnEveryProtocolWhileOtherTokensForTheStreamStillPlay() throws Exception {
        String revoked = issue("tok-revoke", 300).getString("token");
        String kept = issue("tok-revoke", 299).getString("token");
        try (ExternalProcess publisher = publish("tok-revoke")) {
            var request = HttpRequest.newBuilder(URI.create(http("tok-revoke") + "?token=" + revoked))
                    .timeout(Duration.ofSeconds(10)).build();
            var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (var body = response.body()) { // a live FLV body never ends: read its first byte, then hang up
                assertEquals(200, response.statusCode(), "the token plays before it is revoked");
                assertEquals('F', body.read());
            }
            revoke("tok-revoke", revoked).statusCode(200).body("revoked", equalTo(true));
            assertTrue(redis.key().exists(io.streammanager.bus.control.RedisKeys.revokedPlayToken(
                    io.streammanager.bus.control.StreamKeys.hash(revoked))), "stored by the token's hash");
            long ttlMs = redis.key().pttl(io.streammanager.bus.control.RedisKeys.revokedPlayToken(
                    io.streammanager.bus.control.StreamKeys.hash(revoked)));
            assertTrue(ttlMs > 0 && ttlMs <= 300_000, "kept no longer than the token lives: " + ttlMs + " ms");

            player().get("/live/tok-revoke.flv?token=" + revoked).then().statusCode(403).body("field", equalTo("token"))
                    .body("error", equalTo("play token revoked"));
            assertEquals(403, wsHandshakeStatus(ws("tok-revoke") + "?token=" + revoked));
            try (ExternalProcess refused = ExternalProcess.start("play-revoked", dir,
                         Clients.play(rtmp("tok-revoke") + "?token=" + revoked, 30));
                 ExternalProcess other = ExternalProcess.start("play-kept", dir,
                         Clients.play(rtmp("tok-revoke") + "?token=" + kept, 30))) {
                assertRefused(refused, "play token revoked");
                assertTrue(other.waitFor(Duration.ofSeconds(30)), other.tail());
                assertEquals(0, other.exitCode(), other.tail());
                assertTrue(Clients.framesDecoded(other.output()) >= 30, other.tail());
            }
            assertTrue(publisher.alive(), publisher.tail());
        }
    }

    @Test
    void revokingNamesTheBadFieldAndNeedsNoRecordForAnExpiredToken() {
        String token = issue("tok-rev-bad", 300).getString("token");
        revoke("tok-rev-other", token).statusCode(400).body("field", equalTo("token"))
                .body("error", equalTo("play token is not valid for this stream name"));
        revoke("tok-rev-bad", "garbage").statusCode(400).body("field", equalTo("token"))
                .body("error", equalTo("malformed play token"));
        revoke("a/b", token).statusCode(400).body("field", equalTo("streamName"));
        asAdmin().contentType(ContentType.JSON).post("/api/v1/play-tokens/revocations").then().statusCode(400)
                .body("field", equalTo("body"));
        String expired = tokens().issue("tok-rev-bad", System.currentTimeMillis() - 1000);
        revoke("tok-rev-bad", expired).statusCode(200).body("revoked", equalTo(false));
        assertFalse(redis.key().exists(io.streammanager.bus.control.RedisKeys.revokedPlayToken(
                io.streammanager.bus.control.StreamKeys.hash(expired))));
    }

    /** A signer with the profile's secret, for a token the API would not issue (one already expired). */
    private static io.streammanager.gateway.auth.PlayTokens tokens() {
        return new io.streammanager.gateway.auth.PlayTokens(SECRET, Duration.ofHours(1));
    }
}
