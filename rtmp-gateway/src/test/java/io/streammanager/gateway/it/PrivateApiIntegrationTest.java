package io.streammanager.gateway.it;

import static io.restassured.RestAssured.given;
import static io.streammanager.bus.testing.TestApiTokens.as;
import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.streammanager.bus.auth.ApiAuthFailures;
import io.streammanager.bus.auth.ApiTokenStore;
import io.streammanager.bus.auth.Roles;
import io.streammanager.bus.testing.OpenApiRoutes;
import io.streammanager.bus.testing.TestApiTokens;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's two faces: the public playback port serves players and nothing else, the private port (Quarkus' HTTP
 * server) serves the APIs, health, metrics and OpenAPI, each API behind a token with a role.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class PrivateApiIntegrationTest extends GatewayIT {

    @Inject
    ApiTokenStore tokens;

    @Inject
    ApiAuthFailures apiFailures;

    @AfterEach
    void forgetApiFailures() {
        apiFailures.limiter().clear();
    }

    @Test
    void theKeyApiIsNotOnThePlaybackPortAndPlaybackIsNotOnTheApiPort() {
        assertNotEquals(RestAssured.port, playbackPort());
        for (String path : List.of("/api/v1/keys", "/api/v1/sessions", "/q/health", "/q/metrics", "/q/openapi")) {
            player().header(TestApiTokens.AUTHORIZATION, TestApiTokens.adminBearer()).get(path).then().statusCode(404);
        }
        player().header(TestApiTokens.AUTHORIZATION, TestApiTokens.adminBearer()).contentType(ContentType.JSON)
                .body(Map.of("streamName", "x", "scopes", List.of("publish"))).post("/api/v1/keys").then().statusCode(404);
        // the playback route answers on its own port (400: a bad stream name, before any key check)...
        player().get("/live/bad%20name.flv").then().statusCode(400).body("field", equalTo("name"));
        // ...and not on the API port, even with a token
        asAdmin().get("/live/bad%20name.flv").then().statusCode(404);
        asAdmin().get("/live/somebody.flv").then().statusCode(404);
    }

    @Test
    void everyApiAnswers401WithoutAToken() {
        for (Response response : List.of(
                given().get("/api/v1/keys"),
                given().get("/api/v1/keys/k1"),
                given().contentType(ContentType.JSON).body("{}").post("/api/v1/keys"),
                given().post("/api/v1/keys/k1/rotate"),
                given().delete("/api/v1/keys/k1"),
                given().get("/api/v1/sessions"),
                given().get("/api/v1/sessions/s1"),
                given().delete("/api/v1/sessions/s1"),
                given().contentType(ContentType.JSON).body("{}").post("/api/v1/play-tokens"),
                given().contentType(ContentType.JSON).body("{}").post("/api/v1/play-tokens/revocations"))) {
            response.then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"))
                    .contentType(ContentType.JSON).body("field", equalTo("Authorization"));
        }
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'rtmp-gateway' }.data.playbackListenerBound", equalTo(true))
                .body("checks.find { it.name == 'rtmp-gateway' }.data.playbackPort", equalTo(playbackPort()));
    }

    @Test
    void aViewerReadsButCannotWrite() {
        String viewer = TestApiTokens.create(tokens, Roles.VIEWER);
        as(viewer).get("/api/v1/keys").then().statusCode(200);
        as(viewer).get("/api/v1/sessions").then().statusCode(200);
        as(viewer).contentType(ContentType.JSON).body(Map.of("streamName", "x", "scopes", List.of("publish")))
                .post("/api/v1/keys").then().statusCode(403).contentType(ContentType.JSON)
                .body("error", equalTo("forbidden"));
        as(viewer).delete("/api/v1/sessions/s1").then().statusCode(403);
        as(viewer).contentType(ContentType.JSON).body(Map.of("streamName", "x")).post("/api/v1/play-tokens")
                .then().statusCode(403);

        String operator = TestApiTokens.create(tokens, Roles.OPERATOR);
        as(operator).contentType(ContentType.JSON).body(Map.of("streamName", "op-made", "scopes", List.of("publish")))
                .post("/api/v1/keys").then().statusCode(201);
    }

    @Test
    void theOpenApiDocumentListsEveryRoute() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString());
        List<OpenApiRoutes.Route> served = OpenApiRoutes.served(Path.of("target/classes"), "io.streammanager.gateway");
        assertTrue(served.size() >= 10, "keys, sessions and play tokens: " + served);
        assertEquals(List.of(), OpenApiRoutes.missing(served, doc), "routes served but not in /q/openapi");
        assertEquals("bearer", doc.at("/components/securitySchemes/apiToken/scheme").asText());
        assertTrue(doc.at("/components/schemas").has("KeyRequest"), doc.at("/components/schemas").toString());
        for (String status : java.util.List.of("401", "403", "429")) {
            String schema = doc.at("/paths/~1api~1v1~1keys/post/responses/" + status + "/content/application~1json/schema/$ref").asText();
            assertTrue(schema.endsWith("/AuthErrorBody"), status + " of /paths/~1api~1v1~1keys/post: " + doc.at("/paths/~1api~1v1~1keys/post"));
        }
    }
}
