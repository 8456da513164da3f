package io.streammanager.bus.auth;

/**
 * The token store (Redis) did not answer a lookup in time or failed: the request cannot be authenticated either way,
 * so it is answered with 503 and a Retry-After rather than a 401 (the token may be fine) or a bare 500.
 */
final class TokenStoreUnavailableException extends RuntimeException {

    static final long RETRY_AFTER_SECONDS = 2;

    TokenStoreUnavailableException(Throwable cause) {
        super("the API token store does not answer", cause, false, false);
    }
}
