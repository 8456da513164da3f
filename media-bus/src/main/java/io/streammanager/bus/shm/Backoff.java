package io.streammanager.bus.shm;

import java.util.concurrent.locks.LockSupport;

/**
 * How a reader waits: spin a few microseconds (a frame often lands right away), then park in growing steps from
 * {@link #MIN_PARK_NS} to {@link #MAX_PARK_NS}, so an idle reader costs almost nothing on a 2-core machine and still
 * sees a publication within about two milliseconds. One instance per reader; not thread-safe.
 */
final class Backoff {

    static final long SPIN_NS = 5_000;
    static final long MIN_PARK_NS = 50_000;
    /**
     * Measured on the live pipeline: with a 1 ms cap the muxer's distributor thread spent 0.034 CPU-s per second
     * mostly waking up to find nothing (a 30 fps stream with its audio leaves ~13 ms between packets); 2 ms halves
     * the wake-ups in those gaps for at most 2 ms more delay per hop.
     */
    static final long MAX_PARK_NS = 2_000_000;

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
