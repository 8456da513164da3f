package io.streammanager.composition.api;

import static io.restassured.RestAssured.given;
import static io.streammanager.bus.testing.TestApiTokens.as;
import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.streammanager.bus.auth.ApiAuthFailures;
import io.streammanager.bus.testing.CapturedLog;
import io.streammanager.bus.testing.TestApiTokens;
import io.streammanager.composition.testing.RedisAndShmResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** API tokens against a real Redis: 401 without, 403 for a low role, expiry, revocation, rate limit, no leaks. */
@QuarkusTest
@WithTestResource(RedisAndShmResource.class)
class ApiSecurityTest {

    @TestHTTPResource("/api/v1/events")
    URI events;

    @Inject
    ApiAuthFailures failures;

    private final List<String> issued = new ArrayList<>();

    @BeforeEach
    @AfterEach
    void forgetFailures() {
        failures.limiter().clear();
    }

    @AfterEach
    void revokeIssued() {
        issued.forEach(id -> asAdmin().delete("/api/v1/tokens/" + id));
    }

    @Test
    void withoutATokenEveryApiAnswers401WithAJsonBodyAndABearerChallenge() {
        for (Response response : List.of(
                given().get("/api/v1/streams"),
                given().get("/api/v1/streams/nope"),
                given().contentType(ContentType.JSON).body("{}").post("/api/v1/streams"),
                given().delete("/api/v1/streams/nope"),
                given().get("/api/v1/tokens"),
                given().contentType(ContentType.JSON).body("{\"role\":\"admin\"}").post("/api/v1/tokens"),
                given().delete("/api/v1/tokens/t0123456789abcdef"))) {
            response.then().statusCode(401)
                    .header("WWW-Authenticate", startsWith("Bearer"))
                    .contentType(ContentType.JSON)
                    .body("field", equalTo("Authorization"));
        }
        given().header("Authorization", "Basic YWRtaW46YWRtaW4=").get("/api/v1/tokens").then().statusCode(401)
                .body("message", equalTo("the Authorization header must be 'Bearer <token>'"));
    }

    @Test
    void theEventsWebSocketUpgradeNeedsAToken() throws Exception {
        URI ws = URI.create(events.toString().replaceFirst("^http", "ws"));
        HttpClient client = HttpClient.newHttpClient();
        CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> client.newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() { }).join());
        assertTrue(refused.getCause() instanceof WebSocketHandshakeException, refused.toString());
        assertEquals(401, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());

        String viewer = create("viewer", null);
        WebSocket socket = client.newWebSocketBuilder().header("Authorization", TestApiTokens.bearer(viewer))
                .buildAsync(ws, new WebSocket.Listener() { }).get(5, TimeUnit.SECONDS);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }

    @Test
    void theBootstrapAdminTokenManagesTokens() {
        asAdmin().get("/api/v1/tokens").then().statusCode(200);
    }

    @Test
    void aCreatedTokenIsShownOnceAndListedWithoutItsSecret() {
        Response created = asAdmin().contentType(ContentType.JSON)
                .body("{\"role\":\"operator\",\"description\":\"ci pipeline\"}").post("/api/v1/tokens");
        created.then().statusCode(201).body("role", equalTo("operator")).body("expiresAtMs", equalTo(0))
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/tokens/" + created.path("id")));
        String id = created.path("id");
        String secret = created.path("token");
        issued.add(id);
        assertTrue(secret.startsWith("smt_") && secret.length() >= 4 + 43, "256 random bits: " + secret.length());

        asAdmin().get("/api/v1/tokens").then().statusCode(200).body("id", hasItem(id))
                .body("find { it.id == '" + id + "' }.token", nullValue())
                .body("find { it.id == '" + id + "' }.description", equalTo("ci pipeline"))
                .body("find { it.id == '" + id + "' }.hint", equalTo(secret.substring(0, 8) + "..."));
        asAdmin().get("/api/v1/tokens/" + id).then().statusCode(200).body("token", nullValue());
        assertFalse(asAdmin().get("/api/v1/tokens").asString().contains(secret));
    }

    @Test
    void rolesNest() {
        String viewer = create("viewer", null);
        String operator = create("operator", null);

        as(viewer).get("/api/v1/streams").then().statusCode(200);
        as(operator).get("/api/v1/streams").then().statusCode(200);
        // a viewer reads, but every change is an operator's: create, patch, output routes
        as(viewer).contentType(ContentType.JSON).body("{\"name\":\"x\",\"video\":{\"width\":160,\"height\":120,\"fps\":10}}")
                .post("/api/v1/streams").then().statusCode(403);
        as(viewer).contentType("application/merge-patch+json").body("{}").patch("/api/v1/streams/any").then()
                .statusCode(403);
        as(viewer).post("/api/v1/streams/any/outputs/x/restart").then().statusCode(403);
        as(viewer).delete("/api/v1/streams/any").then().statusCode(403);
        for (String token : List.of(viewer, operator)) {
            as(token).get("/api/v1/tokens").then().statusCode(403).contentType(ContentType.JSON)
                    .body("error", equalTo("forbidden")).body("field", equalTo("Authorization"));
            as(token).contentType(ContentType.JSON).body("{\"role\":\"admin\"}").post("/api/v1/tokens")
                    .then().statusCode(403);
        }
    }

    @Test
    void aRevokedTokenIsRefusedAtOnce() {
        String token = create("viewer", null);
        String id = issued.getLast();
        as(token).get("/api/v1/streams").then().statusCode(200);

        asAdmin().delete("/api/v1/tokens/" + id).then().statusCode(204);
        as(token).get("/api/v1/streams").then().statusCode(401).body("message", equalTo("unknown or revoked token"));
        asAdmin().get("/api/v1/tokens").then().body("id", not(hasItem(id)));
        asAdmin().delete("/api/v1/tokens/" + id).then().statusCode(404).body("field", equalTo("id"));
    }

    @Test
    void anExpiredTokenGets401() throws InterruptedException {
        String token = create("viewer", 1L);
        as(token).get("/api/v1/streams").then().statusCode(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int status = 200;
        while (status == 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = as(token).get("/api/v1/streams").statusCode();
        }
        assertEquals(401, status, "a token with expiresInSeconds=1 still worked after 5 s");
    }

    @Test
    void badTokenRequestsName400TheirField() {
        badRequest("{}", "role");
        badRequest("{\"role\":\"root\"}", "role");
        badRequest("{\"role\":\"viewer\",\"expiresInSeconds\":0}", "expiresInSeconds");
        badRequest("{\"role\":\"viewer\",\"expiresInSeconds\":\"soon\"}", "expiresInSeconds");
        badRequest("{\"role\":\"viewer\",\"description\":\"" + "x".repeat(201) + "\"}", "description");
        badRequest("{\"role\":\"viewer\",\"expiresIn\":60}", "expiresIn");
        badRequest("{\"role\":", "body");
        badRequest("[]", "body");
    }

    @Test
    void repeatedFailuresFromOneAddressGet429WithRetryAfter() {
        for (int i = 0; i < 10; i++) {
            as("smt_wrong-" + i).get("/api/v1/streams").then().statusCode(401);
        }
        as("smt_wrong-again").get("/api/v1/streams").then().statusCode(429).header("Retry-After", "60")
                .contentType(ContentType.JSON).body("field", equalTo("Authorization"));
        asAdmin().get("/api/v1/streams").then().statusCode(429); // while blocked, no token is looked at
        given().get("/q/health/live").then().statusCode(200); // nothing that needs no token is blocked
    }

    @Test
    void noTokenValueReachesTheLog() {
        try (CapturedLog log = CapturedLog.start()) {
            String token = create("operator", null);
            String id = issued.getLast();
            as(token).get("/api/v1/streams").then().statusCode(200);
            as(token).get("/api/v1/tokens").then().statusCode(403);
            as(token + "x").get("/api/v1/streams").then().statusCode(401);
            asAdmin().delete("/api/v1/tokens/" + id).then().statusCode(204);
            as(token).get("/api/v1/streams").then().statusCode(401);

            String text = log.text();
            assertTrue(text.contains("api tokens: created id=" + id), "the capture works:\n" + text);
            assertTrue(text.contains("api tokens: revoked id=" + id), text);
            assertFalse(text.contains(token), "a token value was logged");
            assertFalse(text.contains(token.substring(4, 20)), "part of a token value was logged");
            assertFalse(text.contains(TestApiTokens.ADMIN), "the bootstrap token was logged");
        }
    }

    private String create(String role, Long expiresInSeconds) {
        String body = "{\"role\":\"" + role + "\"" + (expiresInSeconds == null ? "" : ",\"expiresInSeconds\":" + expiresInSeconds) + "}";
        Response created = asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/tokens");
        created.then().statusCode(201);
        issued.add(created.path("id"));
        return created.path("token");
    }

    private static void badRequest(String body, String field) {
        asAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/tokens").then().statusCode(400)
                .contentType(ContentType.JSON).body("field", equalTo(field));
    }
}
