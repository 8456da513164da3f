package io.streammanager.gateway.server;

import io.streammanager.gateway.relay.LiveStream;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * What every kind of player does when its publisher leaves ({@code gateway.publish.reconnect-grace}): nothing at first,
 * because players quit on an end-of-stream notice and a publisher that reconnects within the grace resumes them. Only
 * when the grace is over and nobody published the stream in between is the player told that the stream ended.
 */
final class ReconnectGrace {

    private ReconnectGrace() {
    }

    /**
     * Call on the player's context: starts the grace for {@code stream}; after it, runs {@code end} on that context if
     * {@code stillWatching} holds and the stream was not published again meanwhile. A zero grace ends at once.
     */
    static void start(Vertx vertx, Duration grace, LiveStream stream, BooleanSupplier stillWatching, Runnable end) {
        long generation = stream.publishGeneration();
        Runnable check = () -> {
            if (stillWatching.getAsBoolean() && stream.publishGeneration() == generation && !stream.hasPublisher()) {
                end.run();
            }
        };
        if (grace.toMillis() <= 0) {
            check.run();
        } else {
            vertx.setTimer(grace.toMillis(), t -> check.run());
        }
    }
}
