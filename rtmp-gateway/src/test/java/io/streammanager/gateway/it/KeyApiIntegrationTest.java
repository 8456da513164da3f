package io.streammanager.gateway.it;

import io.streammanager.bus.testing.ExternalProcess;

import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static io.streammanager.gateway.it.ItSupport.metric;
import static io.streammanager.gateway.it.ItSupport.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The key API end to end: keys made through REST let FFmpeg publish, and stop doing so when rotated or revoked. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class KeyApiIntegrationTest extends GatewayIT {

    @AfterEach
    void forgetFailures() {
        authFailures.clear();
    }

    private JsonPath createKeyOverRest(String streamName, String... scopes) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("streamName", streamName, "scopes", List.of(scopes)))
                .post("/api/v1/keys").then().statusCode(201).extract().jsonPath();
    }

    /** Publishes with {@code key}, expects a refusal, and returns FFmpeg's output. */
    private String refusedPublish(String label, String name, String key) throws Exception {
        try (ExternalProcess refused = ExternalProcess.start(label, dir, Clients.publish(url(name) + "?key=" + key, 10))) {
            assertTrue(refused.waitFor(Duration.ofSeconds(20)), refused.tail());
            assertNotEquals(0, refused.exitCode(), refused.tail());
            return refused.output();
        }
    }

    private void awaitUnpublished(String name) throws InterruptedException {
        await(name + " unpublished", Duration.ofSeconds(10), () -> streams.find(name).map(s -> !s.hasPublisher()).orElse(true));
    }

    /** How many HGETALLs Redis has served: every stream-key lookup is one. */
    private long keyLookups() {
        Matcher m = Pattern.compile("cmdstat_hgetall:calls=(\\d+)").matcher(redis.execute("INFO", "commandstats").toString());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void aCreatedKeyShowsItsSecretOnceIsListedMaskedAndLetsFfmpegPublish() throws Exception {
        JsonPath created = createKeyOverRest("keyed-one", "publish", "play");
        String id = created.getString("id");
        String secret = created.getString("secret");
        assertTrue(secret.length() >= 43, "256-bit secret");
        assertEquals("keyed-one", created.getString("streamName"));
        assertEquals(List.of("publish", "play"), created.getList("scopes"));
        assertEquals(0L, created.getLong("expiresAtMs"));
        assertTrue(created.getLong("createdAtMs") > 0);

        String list = asAdmin().get("/api/v1/keys").then().statusCode(200)
                .body("id", hasItem(id)).extract().asString();
        assertFalse(list.contains(secret), "the list never holds a secret");
        asAdmin().get("/api/v1/keys/" + id).then().statusCode(200)
                .body("streamName", equalTo("keyed-one"))
                .body("revoked", equalTo(false))
                .body("secret", nullValue())
                .body("secretHint", equalTo(secret.substring(0, 4) + "\u2026"))
                .body(not(org.hamcrest.Matchers.containsString(secret)));

        try (ExternalProcess publisher = startPublisher("publish-keyed-one", "keyed-one", secret, 4)) {
            assertTrue(publisher.waitFor(Duration.ofSeconds(30)), publisher.tail());
            assertEquals(0, publisher.exitCode(), publisher.tail());
        }
    }

    @Test
    void rotatingMakesTheOldSecretFailAndTheNewOneWork() throws Exception {
        JsonPath created = createKeyOverRest("keyed-two", "publish");
        String id = created.getString("id");
        String oldSecret = created.getString("secret");
        JsonPath rotated = asAdmin().post("/api/v1/keys/" + id + "/rotate").then().statusCode(200).extract().jsonPath();
        String newSecret = rotated.getString("secret");
        assertNotEquals(oldSecret, newSecret);
        assertEquals(id, rotated.getString("id"));

        assertTrue(refusedPublish("publish-old-secret", "keyed-two", oldSecret).contains("unknown stream key"));
        try (ExternalProcess publisher = startPublisher("publish-new-secret", "keyed-two", newSecret, 2)) {
            assertTrue(publisher.waitFor(Duration.ofSeconds(30)), publisher.tail());
        }
        asAdmin().get("/api/v1/keys/" + id).then().statusCode(200).body("secretHint", equalTo(newSecret.substring(0, 4) + "\u2026"));
    }

    @Test
    void aRevokedKeyStaysListedAndIsRefusedAsRevoked() throws Exception {
        JsonPath created = createKeyOverRest("keyed-three", "publish");
        String id = created.getString("id");
        asAdmin().delete("/api/v1/keys/" + id).then().statusCode(200).body("revoked", equalTo(true));
        asAdmin().get("/api/v1/keys/" + id).then().statusCode(200).body("revoked", equalTo(true));
        assertTrue(refusedPublish("publish-revoked", "keyed-three", created.getString("secret")).contains("stream key revoked"));
        asAdmin().post("/api/v1/keys/" + id + "/rotate").then().statusCode(409).body("field", equalTo("id"));
    }

    @Test
    void unknownIdsAre404() {
        asAdmin().get("/api/v1/keys/k-none").then().statusCode(404).body("field", equalTo("id"));
        asAdmin().delete("/api/v1/keys/k-none").then().statusCode(404).body("field", equalTo("id"));
        asAdmin().post("/api/v1/keys/k-none/rotate").then().statusCode(404).body("field", equalTo("id"));
    }

    @Test
    void badRequestsNameTheField() {
        record Case(Map<String, Object> body, String field) {
        }
        long past = System.currentTimeMillis() - 1000;
        for (Case c : List.of(
                new Case(Map.of("streamName", "bad name", "scopes", List.of("publish")), "streamName"),
                new Case(Map.of("scopes", List.of("publish")), "streamName"),
                new Case(Map.of("streamName", "ok", "scopes", List.of("publish", "record")), "scopes"),
                new Case(Map.of("streamName", "ok", "scopes", List.of()), "scopes"),
                new Case(Map.of("streamName", "ok", "scopes", List.of("play"), "expiresAtMs", past), "expiresAtMs"))) {
            asAdmin().contentType(ContentType.JSON).body(c.body()).post("/api/v1/keys").then()
                    .statusCode(400).body("field", equalTo(c.field()));
        }
    }

    @Test
    void theSixthWrongKeyFromOneAddressIsRefusedWithoutALookupWhileTheGoodStreamKeepsPlaying() throws Exception {
        String secret = createKeyOverRest("keyed-four", "publish").getString("secret");
        double authErrors = metric("rtmp_errors_total{category=\"auth\"}");
        double blocked = metric("rtmp_auth_blocked_total");
        try (ExternalProcess publisher = startPublisher("publish-keyed-four", "keyed-four", secret, 60)) {
            for (int i = 1; i <= 5; i++) {
                assertTrue(refusedPublish("publish-wrong-" + i, "keyed-four", "wrong-" + i).contains("unknown stream key"));
            }
            long lookups = keyLookups();
            String sixth = refusedPublish("publish-wrong-6", "keyed-four", "wrong-6");
            assertTrue(sixth.contains("too many failed authentications"), sixth);
            assertEquals(lookups, keyLookups(), "the blocked attempt did not reach Redis");
            assertEquals(blocked + 1, metric("rtmp_auth_blocked_total"), 0.0);
            assertEquals(authErrors + 6, metric("rtmp_errors_total{category=\"auth\"}"), 0.0);

            assertTrue(publisher.alive(), publisher.tail());
            try (ExternalProcess player = ExternalProcess.start("play-keyed-four", dir, Clients.play(url("keyed-four"), 30))) {
                assertTrue(player.waitFor(Duration.ofSeconds(30)), player.tail());
                assertEquals(0, player.exitCode(), player.tail());
            }
            String events = redis.execute("XRANGE", "sm:events", "-", "+").toString();
            assertFalse(events.contains(secret), "no key material in events");
        }
        awaitUnpublished("keyed-four");
    }
}
