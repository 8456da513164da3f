package io.streammanager.encoder.api;

import static io.restassured.RestAssured.given;
import static io.streammanager.bus.testing.TestApiTokens.as;
import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streammanager.bus.auth.ApiAuthFailures;
import io.streammanager.bus.testing.OpenApiRoutes;
import io.streammanager.encoder.testing.RedisAndShmResource;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The encoder has no API of its own yet, but the same guard as every service: anything under /api/ needs a token
 * (401 before a 404), a wrong token is refused, and the OpenAPI document lists whatever routes it serves.
 */
@QuarkusTest
@QuarkusTestResource(RedisAndShmResource.class)
class ApiSecurityTest {

    @Inject
    ApiAuthFailures failures;

    @AfterEach
    void forgetFailures() {
        failures.limiter().clear();
    }

    @Test
    void anythingUnderApiNeedsAToken() {
        given().get("/api/v1/anything").then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"))
                .body("field", equalTo("Authorization"));
        as("smt_wrong").get("/api/v1/anything").then().statusCode(401).body("message", equalTo("unknown or revoked token"));
        asAdmin().get("/api/v1/anything").then().statusCode(404);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void theOpenApiDocumentListsEveryRouteAndTheBearerScheme() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString());
        List<OpenApiRoutes.Route> served = OpenApiRoutes.served(Path.of("target/classes"), "io.streammanager.encoder");
        assertEquals(List.of(), OpenApiRoutes.missing(served, doc), "routes served but not in /q/openapi");
        assertEquals("bearer", doc.at("/components/securitySchemes/apiToken/scheme").asText(), doc.toString());
    }
}
