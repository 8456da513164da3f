package io.streammanager.muxer.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void ceilingDoublesFromTheBaseDelayUpToTheCap() {
        RetryPolicy policy = RetryPolicy.of(Duration.ofMillis(100), Duration.ofMillis(1000), 0);
        assertEquals(Duration.ofMillis(100), policy.ceilingFor(1));
        assertEquals(Duration.ofMillis(200), policy.ceilingFor(2));
        assertEquals(Duration.ofMillis(400), policy.ceilingFor(3));
        assertEquals(Duration.ofMillis(800), policy.ceilingFor(4));
        assertEquals(Duration.ofMillis(1000), policy.ceilingFor(5));
        assertEquals(Duration.ofMillis(1000), policy.ceilingFor(500));
    }

    @Test
    void fullJitterPicksBetweenZeroAndTheCeiling() {
        RetryPolicy policy = RetryPolicy.of(Duration.ofMillis(100), Duration.ofSeconds(30), 0);
        for (int i = 0; i < 1000; i++) {
            Duration delay = policy.delayFor(3);
            assertTrue(!delay.isNegative() && delay.compareTo(Duration.ofMillis(400)) <= 0, delay.toString());
        }
        RetryPolicy half = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(30), 0, () -> 0.5);
        assertEquals(Duration.ofMillis(200), half.delayFor(3));
    }

    @Test
    void zeroAttemptsMeansRetryForever() {
        assertFalse(RetryPolicy.of(Duration.ofMillis(1), Duration.ofMillis(1), 0).exhausted(1_000_000));
        RetryPolicy three = RetryPolicy.of(Duration.ofMillis(1), Duration.ofMillis(1), 3);
        assertFalse(three.exhausted(2));
        assertTrue(three.exhausted(3));
    }
}
