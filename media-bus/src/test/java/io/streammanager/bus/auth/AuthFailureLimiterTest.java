package io.streammanager.bus.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthFailureLimiterTest {

    private final AtomicLong nowMs = new AtomicLong(1_000_000);

    private AuthFailureLimiter limiter(int maxTracked) {
        return new AuthFailureLimiter(new AuthFailureLimiter.Settings(5, Duration.ofSeconds(60), Duration.ofSeconds(60),
                maxTracked), nowMs::get);
    }

    private static void fail(AuthFailureLimiter limiter, String address, int times) {
        for (int i = 0; i < times; i++) {
            limiter.recordFailure(address);
        }
    }

    @Test
    void theFifthFailureWithinTheWindowBlocksTheAddress() {
        AuthFailureLimiter limiter = limiter(100);
        fail(limiter, "10.0.0.1", 4);
        assertFalse(limiter.blocked("10.0.0.1"));
        assertTrue(limiter.recordFailure("10.0.0.1"), "the fifth failure starts the block");
        assertTrue(limiter.blocked("10.0.0.1"));
        assertFalse(limiter.blocked("10.0.0.2"), "other addresses are not affected");
    }

    @Test
    void failuresSpreadBeyondTheWindowNeverBlock() {
        AuthFailureLimiter limiter = limiter(100);
        for (int i = 0; i < 20; i++) {
            limiter.recordFailure("10.0.0.1");
            nowMs.addAndGet(15_000); // four per minute at most
        }
        assertFalse(limiter.blocked("10.0.0.1"));
    }

    @Test
    void theBlockEndsAfterTheBlockDuration() {
        AuthFailureLimiter limiter = limiter(100);
        fail(limiter, "10.0.0.1", 5);
        assertEquals(60_000, limiter.blockedForMs("10.0.0.1"));
        nowMs.addAndGet(59_999);
        assertTrue(limiter.blocked("10.0.0.1"));
        assertEquals(1, limiter.blockedForMs("10.0.0.1"), "what a Retry-After is computed from");
        nowMs.addAndGet(1);
        assertFalse(limiter.blocked("10.0.0.1"));
        assertEquals(0, limiter.blockedForMs("10.0.0.1"));
        assertEquals(0, limiter.blockedForMs("10.0.0.9"), "an address never seen is not blocked");
        assertFalse(limiter.recordFailure("10.0.0.1"), "counting starts again from one after a block");
    }

    @Test
    void trackedAddressesAreCappedAndEvictionsCounted() {
        AuthFailureLimiter limiter = limiter(3);
        fail(limiter, "blocked", 5);
        for (int i = 0; i < 5; i++) {
            limiter.recordFailure("flood-" + i);
        }
        assertEquals(3, limiter.trackedAddresses());
        assertEquals(3, limiter.evictions(), "the least recently seen live entries were forgotten");
        assertFalse(limiter.blocked("blocked"), "an evicted block is forgotten: the price of bounded memory");
    }

    @Test
    void staleEntriesMakeRoomBeforeLiveOnesAreEvicted() {
        AuthFailureLimiter limiter = limiter(2);
        limiter.recordFailure("old");
        nowMs.addAndGet(61_000);
        fail(limiter, "blocked", 5);
        limiter.recordFailure("new");
        assertEquals(0, limiter.evictions(), "an expired window is dropped without counting as an eviction");
        assertTrue(limiter.blocked("blocked"));
    }

    @Test
    void clearForgetsEveryAddress() {
        AuthFailureLimiter limiter = limiter(10);
        fail(limiter, "10.0.0.1", 5);
        limiter.clear();
        assertFalse(limiter.blocked("10.0.0.1"));
        assertEquals(0, limiter.trackedAddresses());
    }

    @Test
    void settingsRejectNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> new AuthFailureLimiter.Settings(0, Duration.ofSeconds(1), Duration.ofSeconds(1), 1));
        assertThrows(IllegalArgumentException.class,
                () -> new AuthFailureLimiter.Settings(1, Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
    }
}
