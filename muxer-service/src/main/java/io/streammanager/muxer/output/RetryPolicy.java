package io.streammanager.muxer.output;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Reconnect policy: exponential backoff with full jitter. Attempt n (1-based) waits a uniformly random time in
 * [0, min(maxDelay, baseDelay * 2^(n-1))]. {@code maxAttempts} 0 retries forever (the gateway output does).
 *
 * @param jitter returns a value in [0, 1]; the random one in production, a fixed one in tests
 */
public record RetryPolicy(Duration baseDelay, Duration maxDelay, int maxAttempts, DoubleSupplier jitter) {

    public RetryPolicy {
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0 || maxAttempts < 0) {
            throw new IllegalArgumentException("baseDelay=" + baseDelay + " maxDelay=" + maxDelay
                    + " maxAttempts=" + maxAttempts + ": need 0 <= baseDelay <= maxDelay and maxAttempts >= 0");
        }
    }

    public static RetryPolicy of(Duration baseDelay, Duration maxDelay, int maxAttempts) {
        return new RetryPolicy(baseDelay, maxDelay, maxAttempts, () -> ThreadLocalRandom.current().nextDouble());
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(baseDelay, maxDelay, attempts, jitter);
    }

    /** The upper bound of the wait before attempt {@code attempt}: min(maxDelay, baseDelay * 2^(attempt-1)). */
    public Duration ceilingFor(int attempt) {
        int doublings = Math.min(Math.max(attempt - 1, 0), 30);
        long ceilingNs = baseDelay.toNanos() << doublings;
        if (ceilingNs < 0 || ceilingNs > maxDelay.toNanos()) {
            ceilingNs = maxDelay.toNanos();
        }
        return Duration.ofNanos(ceilingNs);
    }

    /** The wait before attempt {@code attempt} (full jitter). */
    public Duration delayFor(int attempt) {
        double fraction = Math.clamp(jitter.getAsDouble(), 0.0, 1.0);
        return Duration.ofNanos((long) (ceilingFor(attempt).toNanos() * fraction));
    }

    /** True once {@code failedAttempts} consecutive failures used up the budget. */
    public boolean exhausted(int failedAttempts) {
        return maxAttempts > 0 && failedAttempts >= maxAttempts;
    }
}
