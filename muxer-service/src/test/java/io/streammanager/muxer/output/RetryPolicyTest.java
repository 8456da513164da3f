package io.streammanager.muxer.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streammanager.bus.control.spec.RetrySpec;
import java.time.Duration;
import java.util.List;
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

    /** One row: the spec's fields (null = not set) and the policy they make over the defaults 1 s / 30 s / forever. */
    private record Row(Integer attempts, Long delayMs, Long maxDelayMs, int wantAttempts, long wantDelayMs,
                       long wantMaxDelayMs) {
    }

    @Test
    void aSpecsRetryTakesEachMissingFieldFromTheDefaults() {
        RetryPolicy defaults = RetryPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(30), 0);
        List<Row> table = List.of(
                new Row(null, null, null, 0, 1_000, 30_000),
                new Row(5, null, null, 5, 1_000, 30_000),
                new Row(0, 200L, null, 0, 200, 30_000),
                new Row(null, null, 5_000L, 0, 1_000, 5_000),
                new Row(3, 100L, 800L, 3, 100, 800),
                new Row(null, 60_000L, null, 0, 60_000, 60_000), // a delay above the default cap raises the cap
                new Row(null, null, 500L, 0, 500, 500)); // a cap below the default delay lowers the delay
        for (Row row : table) {
            RetryPolicy policy = RetryPolicy.from(new RetrySpec(row.attempts(), row.delayMs(), row.maxDelayMs()),
                    defaults);
            assertEquals(row.wantAttempts(), policy.maxAttempts(), row.toString());
            assertEquals(Duration.ofMillis(row.wantDelayMs()), policy.baseDelay(), row.toString());
            assertEquals(Duration.ofMillis(row.wantMaxDelayMs()), policy.maxDelay(), row.toString());
        }
        assertSame(defaults, RetryPolicy.from(null, defaults));
    }

    @Test
    void aSpecWithImpossibleValuesIsRefused() {
        RetryPolicy defaults = RetryPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(30), 0);
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.from(new RetrySpec(-1, null, null), defaults));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.from(new RetrySpec(null, -5L, null), defaults));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.from(new RetrySpec(null, 500L, 100L), defaults));
    }

    @Test
    void sameLimitsIgnoresTheJitterSource() {
        RetryPolicy a = RetryPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(30), 0);
        assertTrue(a.sameLimits(new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 0, () -> 0.5)));
        assertFalse(a.sameLimits(a.withMaxAttempts(3)));
    }
}
