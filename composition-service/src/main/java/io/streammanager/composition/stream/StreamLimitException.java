package io.streammanager.composition.stream;

/** This instance already renders as many streams as it is configured for. */
public final class StreamLimitException extends RuntimeException {

    public StreamLimitException(int limit) {
        super("this instance already runs its maximum of " + limit + " streams (composition.limits.max-streams)");
    }
}
