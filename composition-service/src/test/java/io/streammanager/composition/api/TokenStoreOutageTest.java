package io.streammanager.composition.api;

import static io.streammanager.bus.testing.TestApiTokens.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streammanager.composition.testing.UnreachableRedisResource;
import org.junit.jupiter.api.Test;

/**
 * With Redis down a stored token cannot be checked: the caller hears 503 with a Retry-After and what is wrong, not a
 * 401 (its token may be fine) and not a bare 500. The answer never echoes the token.
 */
@QuarkusTest
@WithTestResource(UnreachableRedisResource.class)
class TokenStoreOutageTest {

    private static final String STORED_TOKEN = "a-token-that-only-redis-could-vouch-for-0123456789";

    @Test
    void aTokenThatNeedsTheStoreIsAnswered503WithRetryAfter() {
        as(STORED_TOKEN).get("/api/v1/streams").then()
                .statusCode(503)
                .header("Retry-After", "2")
                .body("error", equalTo("token store unavailable"))
                .body("field", equalTo("Authorization"))
                .body("message", containsString("does not answer"))
                .body(not(containsString(STORED_TOKEN)));
    }

    @Test
    void noTokenIsStillA401() {
        io.restassured.RestAssured.given().get("/api/v1/streams").then().statusCode(401);
    }
}
