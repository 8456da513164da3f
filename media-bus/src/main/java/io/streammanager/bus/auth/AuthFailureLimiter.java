package io.streammanager.bus.auth;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counts failed authentications per source address: {@code maxFailures} within {@code window} block that address for
 * {@code blockDuration}, during which its attempts are refused without asking Redis. Memory is bounded: at most
 * {@code maxTrackedAddresses} addresses are remembered; beyond that the least recently seen one is forgotten and
 * counted in {@link #evictions()}. Used for the gateway's stream keys and for the services' API tokens. Pure (the clock is injected) and thread-safe (one lock, held briefly).
 */
public final class AuthFailureLimiter {

    /** Limiter settings; durations must be positive. */
    public record Settings(int maxFailures, Duration window, Duration blockDuration, int maxTrackedAddresses) {
        public Settings {
            if (maxFailures < 1) {
                throw new IllegalArgumentException("maxFailures must be >= 1, was " + maxFailures);
            }
            if (maxTrackedAddresses < 1) {
                throw new IllegalArgumentException("maxTrackedAddresses must be >= 1, was " + maxTrackedAddresses);
            }
        }
    }

    private static final class Tracked {
        long windowStartMs;
        int failures;
        long blockedUntilMs;
    }

    private final Settings settings;
    private final LongSupplier clockMs;
    private final LinkedHashMap<String, Tracked> tracked = new LinkedHashMap<>(16, 0.75f, true);
    private long evictions;

    public AuthFailureLimiter(Settings settings, LongSupplier clockMs) {
        this.settings = settings;
        this.clockMs = clockMs;
    }

    /** Whether attempts from {@code address} are refused now, without looking at the key. */
    public synchronized boolean blocked(String address) {
        Tracked entry = tracked.get(address);
        return entry != null && clockMs.getAsLong() < entry.blockedUntilMs;
    }

    /** How much longer {@code address} stays blocked, in ms; 0 when it is not blocked (for a Retry-After). */
    public synchronized long blockedForMs(String address) {
        Tracked entry = tracked.get(address);
        return entry == null ? 0 : Math.max(0, entry.blockedUntilMs - clockMs.getAsLong());
    }

    /** Records a failed authentication; returns true when this failure starts a block. */
    public synchronized boolean recordFailure(String address) {
        long now = clockMs.getAsLong();
        Tracked entry = tracked.get(address);
        if (entry == null) {
            entry = new Tracked();
            entry.windowStartMs = now;
            tracked.put(address, entry);
            evictBeyondCapacity(now);
        } else if (now - entry.windowStartMs >= settings.window().toMillis()) {
            entry.windowStartMs = now;
            entry.failures = 0;
        }
        entry.failures++;
        if (entry.failures >= settings.maxFailures() && now >= entry.blockedUntilMs) {
            entry.blockedUntilMs = now + settings.blockDuration().toMillis();
            entry.failures = 0;
            entry.windowStartMs = now;
            return true;
        }
        return false;
    }

    /** Forgets every address (an operator unblocking everyone, or a test starting clean). */
    public synchronized void clear() {
        tracked.clear();
    }

    public synchronized int trackedAddresses() {
        return tracked.size();
    }

    /** Addresses forgotten because the table was full while their window or block was still running. */
    public synchronized long evictions() {
        return evictions;
    }

    private void evictBeyondCapacity(long now) {
        if (tracked.size() <= settings.maxTrackedAddresses()) {
            return;
        }
        // first drop entries that no longer matter, so a flood of new addresses only evicts live ones when it must
        long windowMs = settings.window().toMillis();
        tracked.values().removeIf(e -> now >= e.blockedUntilMs && now - e.windowStartMs >= windowMs);
        Iterator<Map.Entry<String, Tracked>> eldest = tracked.entrySet().iterator();
        while (tracked.size() > settings.maxTrackedAddresses() && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
            evictions++;
        }
    }
}
