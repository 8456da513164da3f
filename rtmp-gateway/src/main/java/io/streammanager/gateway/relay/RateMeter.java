package io.streammanager.gateway.relay;

/**
 * A publisher's inbound bitrate, for the per-stream gauge: bytes are summed over windows of at least one second and
 * the last full window's rate is reported; a stream that sent nothing for two windows reads 0. Not thread-safe: the
 * owning stream's lock guards it.
 */
final class RateMeter {

    static final long WINDOW_NS = 1_000_000_000L;

    private long windowStartNs;
    private long windowBytes;
    private long lastWindowEndNs;
    private double lastBitsPerSecond;
    private boolean started;

    void observe(long nowNs, long bytes) {
        if (!started) {
            started = true;
            windowStartNs = nowNs;
        } else if (nowNs - windowStartNs >= WINDOW_NS) {
            closeWindow(nowNs);
        }
        windowBytes += bytes;
    }

    private void closeWindow(long nowNs) {
        lastBitsPerSecond = windowBytes * 8.0 * 1e9 / (nowNs - windowStartNs);
        lastWindowEndNs = nowNs;
        windowStartNs = nowNs;
        windowBytes = 0;
    }

    double bitsPerSecond(long nowNs) {
        if (!started || nowNs - windowStartNs >= 2 * WINDOW_NS) {
            return 0; // never started, or quiet for two windows: the publisher stopped sending
        }
        return lastWindowEndNs == 0 ? 0 : lastBitsPerSecond;
    }
}
