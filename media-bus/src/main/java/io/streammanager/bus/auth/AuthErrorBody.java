package io.streammanager.bus.auth;

/**
 * The body of a 401, 403, 429 or 503 from any API: {@code error} the kind of failure, {@code field} always
 * {@code Authorization} (the header at fault), {@code message} what to do. Never contains the token.
 */
public record AuthErrorBody(String error, String field, String message) {

    static final String FIELD = "Authorization";

    static AuthErrorBody unauthorized(String message) {
        return new AuthErrorBody("unauthorized", FIELD, message);
    }

    static AuthErrorBody forbidden(String message) {
        return new AuthErrorBody("forbidden", FIELD, message);
    }

    static AuthErrorBody storeUnavailable(String message) {
        return new AuthErrorBody("token store unavailable", FIELD, message);
    }

    static AuthErrorBody tooManyFailures(String message) {
        return new AuthErrorBody("too many failed authentications", FIELD, message);
    }
}
