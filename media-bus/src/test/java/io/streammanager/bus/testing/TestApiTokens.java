package io.streammanager.bus.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.streammanager.bus.auth.ApiTokenStore;
import java.time.Duration;
import java.util.Optional;

/**
 * The API token tests send. Every service's {@code application.properties} sets {@code %test.sm.admin-token} to
 * {@link #ADMIN}, the bootstrap admin token, so a {@code @QuarkusTest} needs no Redis setup to call its API; tests of
 * roles create real tokens through composition's {@code /api/v1/tokens}. Not a secret: it exists only in tests.
 */
public final class TestApiTokens {

    public static final String ADMIN = "test-admin-token-0123456789abcdef";
    public static final String AUTHORIZATION = "Authorization";

    private TestApiTokens() {
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /** RestAssured's {@code given()} with the admin token: what a test that is not about auth calls the API with. */
    public static RequestSpecification asAdmin() {
        return as(ADMIN);
    }

    /** RestAssured's {@code given()} with {@code token} as bearer. */
    public static RequestSpecification as(String token) {
        return RestAssured.given().header(AUTHORIZATION, bearer(token));
    }

    /** A real token of {@code role} stored through the service's own store (a service without the token API). */
    public static String create(ApiTokenStore store, String role) {
        return store.create(role, Optional.empty(), "test").await().atMost(Duration.ofSeconds(10)).secret();
    }

    /** The Authorization header value of {@link #ADMIN}. */
    public static String adminBearer() {
        return bearer(ADMIN);
    }
}
