package io.streammanager.muxer.api;

import static io.restassured.RestAssured.given;
import static io.streammanager.bus.testing.TestApiTokens.as;
import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.streammanager.bus.auth.ApiAuthFailures;
import io.streammanager.bus.auth.ApiTokenStore;
import io.streammanager.bus.auth.Roles;
import io.streammanager.bus.testing.OpenApiRoutes;
import io.streammanager.bus.testing.TestApiTokens;
import io.streammanager.muxer.testing.MuxerTestResource;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The outputs API needs a token (any role reads it); the OpenAPI document lists every route. */
@QuarkusTest
@QuarkusTestResource(MuxerTestResource.class)
class ApiSecurityTest {

    @Inject
    ApiTokenStore tokens;

    @Inject
    ApiAuthFailures failures;

    @AfterEach
    void forgetFailures() {
        failures.limiter().clear();
    }

    @Test
    void theOutputsApiAnswers401WithoutAToken() {
        given().get("/api/v1/outputs").then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"))
                .contentType(ContentType.JSON).body("field", equalTo("Authorization"));
        as("smt_not-a-token").get("/api/v1/outputs").then().statusCode(401);
    }

    @Test
    void aViewerTokenMadeByAnyServiceReadsOutputs() {
        String viewer = TestApiTokens.create(tokens, Roles.VIEWER);
        as(viewer).get("/api/v1/outputs").then().statusCode(200);
        asAdmin().get("/api/v1/outputs").then().statusCode(200);
    }

    @Test
    void theOpenApiDocumentListsEveryRouteAndIsReadableWithoutAToken() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString());
        List<OpenApiRoutes.Route> served = OpenApiRoutes.served(Path.of("target/classes"), "io.streammanager.muxer");
        assertTrue(!served.isEmpty(), "the outputs route at least");
        assertEquals(List.of(), OpenApiRoutes.missing(served, doc), "routes served but not in /q/openapi");
        assertEquals("bearer", doc.at("/components/securitySchemes/apiToken/scheme").asText());
        assertTrue(doc.at("/components/schemas").has("OutputStatus"), doc.at("/components/schemas").toString());
        for (String status : java.util.List.of("401", "403", "429")) {
            String schema = doc.at("/paths/~1api~1v1~1outputs/get/responses/" + status + "/content/application~1json/schema/$ref").asText();
            assertTrue(schema.endsWith("/AuthErrorBody"), status + " of /paths/~1api~1v1~1outputs/get: " + doc.at("/paths/~1api~1v1~1outputs/get"));
        }
    }
}
