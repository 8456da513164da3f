package io.streammanager.bus.auth;

/** An address is blocked after repeated failed authentications: answered with 429 and a Retry-After. */
final class TooManyAuthFailuresException extends RuntimeException {

    private final long retryAfterSeconds;

    TooManyAuthFailuresException(long blockedForMs) {
        super("too many failed authentications from this address", null, false, false);
        this.retryAfterSeconds = Math.max(1, (blockedForMs + 999) / 1000);
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
