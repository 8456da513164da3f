package io.streammanager.bus.auth;

/**
 * The body of a 401, 403 or 429 from any API: {@code error} the kind of failure, {@code field} always
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

    static AuthErrorBody tooManyFailures(String message) {
        return new AuthErrorBody("too many failed authentications", FIELD, message);
    }
}
