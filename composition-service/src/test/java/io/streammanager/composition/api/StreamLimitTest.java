package io.streammanager.composition.api;

import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.streammanager.composition.testing.RedisAndShmResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(StreamLimitTest.OneStreamOnly.class)
@WithTestResource(RedisAndShmResource.class)
class StreamLimitTest {

    public static class OneStreamOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("composition.limits.max-streams", "1");
        }
    }

    @AfterEach
    void deleteAllStreams() {
        List<String> ids = asAdmin().when().get("/api/v1/streams").then().statusCode(200).extract().path("id");
        ids.forEach(id -> asAdmin().when().delete("/api/v1/streams/" + id).then().statusCode(204));
    }

    @Test
    void aStreamBeyondTheInstanceLimitGets429AndLeavesNothingBehind() {
        create("first").then().statusCode(201);
        create("second").then().statusCode(429).body("error", equalTo("stream limit reached"));
        asAdmin().when().get("/api/v1/streams").then().statusCode(200).body("size()", equalTo(1));
    }

    private static io.restassured.response.Response create(String name) {
        return asAdmin().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"video\":{\"width\":160,\"height\":120,\"fps\":10}}")
                .when().post("/api/v1/streams");
    }
}
