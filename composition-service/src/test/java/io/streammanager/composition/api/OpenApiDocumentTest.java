package io.streammanager.composition.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streammanager.bus.testing.OpenApiRoutes;
import io.streammanager.composition.testing.RedisAndShmResource;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisAndShmResource.class)
class OpenApiDocumentTest {

    @Test
    void theDocumentDescribesEveryRouteWithSchemasAndTheBearerScheme() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString());

        List<OpenApiRoutes.Route> served = OpenApiRoutes.served(Path.of("target/classes"), "io.streammanager.composition");
        assertTrue(served.size() >= 8, "streams and tokens at least: " + served);
        assertEquals(List.of(), OpenApiRoutes.missing(served, doc), "routes served but not in /q/openapi");

        assertEquals("http", doc.at("/components/securitySchemes/apiToken/type").asText());
        assertEquals("bearer", doc.at("/components/securitySchemes/apiToken/scheme").asText());
        JsonNode create = doc.at("/paths/~1api~1v1~1tokens/post");
        assertFalse(create.at("/requestBody/content/application~1json/schema").isMissingNode(), create.toString());
        for (String status : List.of("201", "400", "401", "403")) {
            assertFalse(create.at("/responses/" + status).isMissingNode(), status + " in " + create);
        }
        assertFalse(create.path("security").isMissingNode(), "secured: " + create);
        assertTrue(doc.at("/paths/~1api~1v1~1streams/get/security").toString().contains("apiToken"),
                "every /api/ operation names the bearer scheme: " + doc.at("/paths/~1api~1v1~1streams/get"));
        for (String status : java.util.List.of("401", "403", "429", "503")) {
            String schema = doc.at("/paths/~1api~1v1~1streams/get/responses/" + status + "/content/application~1json/schema/$ref").asText();
            assertTrue(schema.endsWith("/AuthErrorBody"), status + " of /paths/~1api~1v1~1streams/get: " + doc.at("/paths/~1api~1v1~1streams/get"));
        }
        JsonNode schemas = doc.at("/components/schemas");
        for (String schema : List.of("TokenRequest", "TokenView", "ErrorBody", "AuthErrorBody", "StreamSpec",
                "VideoLayer", "AudioLayer")) {
            assertTrue(schemas.has(schema), schema + " in " + schemas.properties());
        }
        assertTrue(schemas.at("/Layer/discriminator/mapping/audio").asText().endsWith("/AudioLayer"),
                "a layer's type picks its schema: " + schemas.get("Layer"));
        assertTrue(schemas.at("/AudioLayer/properties").has("volume") && !schemas.at("/AudioLayer/properties").has("x"),
                "an audio layer has a volume and no box: " + schemas.get("AudioLayer"));
    }
}
