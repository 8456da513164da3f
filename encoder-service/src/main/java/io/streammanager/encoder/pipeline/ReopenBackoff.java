package io.streammanager.encoder.pipeline;

/**
 * When to reopen an encoder that failed, and when to stop trusting hardware: each consecutive failure doubles the
 * wait (from {@link #FIRST_DELAY_NS} up to {@link #MAX_DELAY_NS}); after {@link #HARDWARE_FAILURES} in a row the
 * worker falls back to software. A frame encoded again resets it. Pure: time comes in as arguments.
 */
final class ReopenBackoff {

    static final long FIRST_DELAY_NS = 100_000_000L;
    static final long MAX_DELAY_NS = 5_000_000_000L;
    static final int HARDWARE_FAILURES = 3;

    private int failures;
    private long retryAtNs;

    /** Records a failure at {@code nowNs}; returns when to try again. */
    long failed(long nowNs) {
        failures++;
        long delay = FIRST_DELAY_NS << Math.min(failures - 1, 16);
        retryAtNs = nowNs + Math.min(delay, MAX_DELAY_NS);
        return retryAtNs;
    }

    /** The encoder works again. */
    void succeeded() {
        failures = 0;
    }

    boolean due(long nowNs) {
        return nowNs - retryAtNs >= 0;
    }

    /** Whether a hardware encoder failed often enough in a row to be given up for software. */
    boolean giveUpHardware() {
        return failures >= HARDWARE_FAILURES;
    }

    int failures() {
        return failures;
    }
}
