package io.streammanager.muxer.output;

import io.streammanager.bus.control.spec.RetrySpec;
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

    /**
     * An output's policy: each field its spec sets ({@code retry.attempts}, {@code delayMs}, {@code maxDelayMs}),
     * the others from {@code defaults} (the muxer's configuration). A spec's delay above the default cap raises the
     * cap with it, so a spec can never be invalid for setting one field only.
     *
     * @throws IllegalArgumentException if a field the spec sets is negative
     */
    public static RetryPolicy from(RetrySpec spec, RetryPolicy defaults) {
        if (spec == null) {
            return defaults;
        }
        int attempts = spec.attempts() == null ? defaults.maxAttempts() : spec.attempts();
        Duration base = spec.delayMs() == null ? defaults.baseDelay() : Duration.ofMillis(spec.delayMs());
        Duration max = spec.maxDelayMs() == null ? defaults.maxDelay() : Duration.ofMillis(spec.maxDelayMs());
        if (spec.maxDelayMs() == null && max.compareTo(base) < 0) {
            max = base;
        }
        if (spec.delayMs() == null && base.compareTo(max) > 0) {
            base = max;
        }
        return new RetryPolicy(base, max, attempts, defaults.jitter());
    }

    /** Same limits (the jitter source aside): a spec update that changes none of them changes nothing. */
    public boolean sameLimits(RetryPolicy other) {
        return other != null && baseDelay.equals(other.baseDelay) && maxDelay.equals(other.maxDelay)
                && maxAttempts == other.maxAttempts;
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
