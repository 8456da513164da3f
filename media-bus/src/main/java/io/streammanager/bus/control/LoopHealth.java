package io.streammanager.bus.control;

import java.time.Duration;

/**
 * What the control loop has proven, and when: written by the loop thread, read by the health checks. Ages are
 * measured on {@link System#nanoTime()}.
 */
final class LoopHealth {

    private volatile boolean groupJoined;
    private volatile boolean resumed;
    private volatile long lastRedisNs;
    private volatile long lastIterationNs;
    private volatile boolean redisFailing;

    void iterated() {
        lastIterationNs = System.nanoTime();
    }

    void redisAnswered() {
        lastRedisNs = System.nanoTime();
    }

    void groupJoined(boolean joined) {
        groupJoined = joined;
    }

    void markResumed() {
        resumed = true;
    }

    /** Records a failed round trip; true for the first of an outage (worth a log line, the others are not). */
    boolean redisFailed() {
        boolean first = !redisFailing;
        redisFailing = true;
        return first;
    }

    /** Records a good round trip after failures; true once per outage. */
    boolean redisRecovered() {
        boolean recovered = redisFailing;
        redisFailing = false;
        return recovered;
    }

    boolean groupJoined() {
        return groupJoined;
    }

    boolean isResumed() {
        return resumed;
    }

    /** Milliseconds since Redis last answered the loop; -1 before it ever did. */
    long redisAgeMs() {
        return ageMs(lastRedisNs);
    }

    /** Milliseconds since the loop last went round; -1 before it started. */
    long iterationAgeMs() {
        return ageMs(lastIterationNs);
    }

    boolean fresh(long ageMs, Duration within) {
        return ageMs >= 0 && ageMs <= within.toMillis();
    }

    private static long ageMs(long stampNs) {
        return stampNs == 0 ? -1 : (System.nanoTime() - stampNs) / 1_000_000;
    }
}
