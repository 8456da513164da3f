package io.streammanager.bus.shm;

import java.util.concurrent.locks.LockSupport;

/**
 * How a reader waits: spin a few microseconds (a frame often lands right away), then park in growing steps from
 * {@link #MIN_PARK_NS} to {@link #MAX_PARK_NS}, so an idle reader costs almost nothing on a 2-core machine and still
 * sees a publication within about a millisecond. One instance per reader; not thread-safe.
 */
final class Backoff {

    static final long SPIN_NS = 5_000;
    static final long MIN_PARK_NS = 50_000;
    static final long MAX_PARK_NS = 1_000_000;

    private long spinUntilNs;
    private long parkNs;

    void reset() {
        spinUntilNs = System.nanoTime() + SPIN_NS;
        parkNs = MIN_PARK_NS;
    }

    /** Waits a little, never longer than {@code remainingNs}. */
    void idle(long remainingNs) {
        if (System.nanoTime() - spinUntilNs < 0) {
            Thread.onSpinWait();
            return;
        }
        LockSupport.parkNanos(Math.min(parkNs, Math.max(remainingNs, 1)));
        parkNs = Math.min(parkNs << 1, MAX_PARK_NS);
    }
}
