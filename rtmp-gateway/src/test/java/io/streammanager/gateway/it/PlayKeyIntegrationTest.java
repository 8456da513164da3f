package io.streammanager.gateway.it;

import io.streammanager.bus.testing.ExternalProcess;

import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.streammanager.gateway.relay.LiveStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** With gateway.auth.play-requires-key on, only a key with scope play for the stream lets FFmpeg play it. */
@QuarkusTest
@TestProfile(PlayKeyIntegrationTest.PlayRequiresKey.class)
@WithTestResource(RedisTestResource.class)
class PlayKeyIntegrationTest extends GatewayIT {

    public static class PlayRequiresKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.auth.play-requires-key", "true");
        }
    }

    private String secret(String streamName, String... scopes) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("streamName", streamName, "scopes", List.of(scopes)))
                .post("/api/v1/keys").then().statusCode(201).extract().jsonPath().getString("secret");
    }

    private static String refused(ExternalProcess player) throws InterruptedException {
        assertTrue(player.waitFor(Duration.ofSeconds(20)), player.tail());
        assertNotEquals(0, player.exitCode(), player.tail());
        return player.output();
    }

    @Test
    void aPlayerNeedsAKeyWithPlayScopeForTheStream() throws Exception {
        String both = secret("guarded", "publish", "play");
        String publishOnly = secret("guarded", "publish");
        String otherStream = secret("not-guarded", "play");
        try (ExternalProcess publisher = ExternalProcess.start("publish-guarded", dir,
                Clients.publish(url("guarded") + "?key=" + both, 40))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!streams.find("guarded").map(LiveStream::hasPublisher).orElse(false) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(publisher.alive(), publisher.tail());
            try (ExternalProcess none = ExternalProcess.start("play-no-key", dir, Clients.play(url("guarded"), 30));
                 ExternalProcess scope = ExternalProcess.start("play-publish-key", dir, Clients.play(url("guarded") + "?key=" + publishOnly, 30));
                 ExternalProcess other = ExternalProcess.start("play-other-key", dir, Clients.play(url("guarded") + "?key=" + otherStream, 30))) {
                String noKey = refused(none);
                assertTrue(noKey.contains("no stream key given"), noKey);
                String noScope = refused(scope);
                assertTrue(noScope.contains("stream key has no play scope"), noScope);
                String wrongStream = refused(other);
                assertTrue(wrongStream.contains("stream key is not for this stream name"), wrongStream);
            }
            try (ExternalProcess player = ExternalProcess.start("play-with-key", dir, Clients.play(url("guarded") + "?key=" + both, 30))) {
                assertTrue(player.waitFor(Duration.ofSeconds(30)), player.tail());
                assertEquals(0, player.exitCode(), player.tail());
                assertTrue(Clients.framesDecoded(player.output()) >= 30, player.tail());
            }
        }
    }

    @Test
    void httpFlvPlayersNeedAPlayKeyToo() throws Exception {
        String both = secret("guarded-flv", "publish", "play");
        String otherStream = secret("not-guarded-flv", "play");
        player().get("/live/guarded-flv.flv").then().statusCode(403).body("field", org.hamcrest.Matchers.equalTo("key"))
                .body("error", org.hamcrest.Matchers.containsString("no stream key given"));
        player().get("/live/guarded-flv.flv?key=" + otherStream).then().statusCode(403)
                .body("error", org.hamcrest.Matchers.containsString("not for this stream name"));
        var client = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + playbackPort() + "/live/guarded-flv.flv?key=" + both))
                .timeout(Duration.ofSeconds(10)).build();
        var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        try (var body = response.body()) {
            assertEquals(200, response.statusCode());
            assertEquals('F', body.read(), "an FLV header follows");
        }
    }
}
