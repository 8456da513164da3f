package io.streammanager.gateway.server;

/**
 * Bounds a flood of similar log lines (thousands of refused or timed-out connections at once would otherwise write
 * thousands of lines from the event loops): at most {@code perSecond} lines a second; the first line after a
 * suppressed stretch says how many were left out. Every event is still counted in the metrics.
 */
final class LogThrottle {

    private final int perSecond;
    private long windowStartNs = System.nanoTime();
    private int logged;
    private long suppressed;

    LogThrottle(int perSecond) {
        this.perSecond = perSecond;
    }

    /** -1 if this line must be dropped; otherwise how many lines were dropped since the last one logged. */
    synchronized long admit() {
        long now = System.nanoTime();
        if (now - windowStartNs >= 1_000_000_000L) {
            windowStartNs = now;
            logged = 0;
        }
        if (logged >= perSecond) {
            suppressed++;
            return -1;
        }
        logged++;
        long dropped = suppressed;
        suppressed = 0;
        return dropped;
    }

    static String note(long dropped) {
        return dropped > 0 ? " [" + dropped + " similar lines not logged]" : "";
    }
}
