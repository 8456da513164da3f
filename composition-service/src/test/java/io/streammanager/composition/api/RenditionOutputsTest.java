package io.streammanager.composition.api;

import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.streammanager.composition.testing.RedisAndShmResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which rendition each output sends is part of the stream's view, as stored, and changes through the outputs API. */
@QuarkusTest
@WithTestResource(RedisAndShmResource.class)
class RenditionOutputsTest {

    private static final String LADDER_SPEC = """
            {"name":"ladder-view","video":{"width":640,"height":360,"fps":25},
             "encoder":{"renditions":[{"id":"hd","width":640,"height":360,"bitrateKbps":900},
                                      {"id":"sd","width":320,"height":180,"bitrateKbps":300}]},
             "outputs":[{"id":"low","url":"rtmp://example.invalid/live/k","rendition":"sd"},
                        {"id":"main","url":"rtmp://example.invalid/live/k2"}]}
            """;

    @AfterEach
    void deleteAll() {
        StreamResourceTest.deleteAll();
    }

    @Test
    void theViewShowsEachOutputsRenditionAndAnOutputCanChangeIt() {
        String id = asAdmin().contentType(ContentType.JSON).body(LADDER_SPEC)
                .when().post("/api/v1/streams")
                .then().statusCode(201)
                .body("encoder.renditions[1].id", equalTo("sd"))
                .body("outputs[0].rendition", equalTo("sd"))
                .body("outputs[1].rendition", nullValue())
                .extract().path("id");

        asAdmin().contentType("application/merge-patch+json").body("{\"rendition\":\"hd\"}")
                .when().patch("/api/v1/streams/" + id + "/outputs/low")
                .then().statusCode(200);
        asAdmin().when().get("/api/v1/streams/" + id + "/outputs/low")
                .then().statusCode(200).body("rendition", equalTo("hd"));

        asAdmin().contentType("application/merge-patch+json").body("{\"rendition\":\"nope\"}")
                .when().patch("/api/v1/streams/" + id + "/outputs/low")
                .then().statusCode(400).body("field", equalTo("outputs[0].rendition"));
    }

    /** The gateway takes a stream's key for {@code <name>_<renditionId>}: two streams may not share such names. */
    @Test
    void aNameThatOverlapsAnotherStreamsRenditionNamesIsRefused() {
        StreamResourceTest.create("show");
        asAdmin().contentType(ContentType.JSON).body(StreamResourceTest.spec("show_sd"))
                .when().post("/api/v1/streams")
                .then().statusCode(409).body("field", equalTo("name"))
                .body("message", org.hamcrest.Matchers.containsString("a stream named show exists"));
        StreamResourceTest.create("news_hd");
        asAdmin().contentType(ContentType.JSON).body(StreamResourceTest.spec("news"))
                .when().post("/api/v1/streams")
                .then().statusCode(409).body("field", equalTo("name"))
                .body("message", org.hamcrest.Matchers.containsString("a stream named news_hd exists"));
        StreamResourceTest.create("showcase"); // no underscore between: no overlap
    }
}
