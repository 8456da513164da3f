package io.streammanager.muxer.output;

/**
 * Bytes per second over the last {@value #SECONDS} whole seconds plus the current one, in one-second buckets: O(1)
 * per packet, no allocation. Written by the output's thread, read by status readers.
 */
final class ThroughputWindow {
    static final int SECONDS = 10;
    private final long[] bytes = new long[SECONDS + 1];
    private final long[] secondOf = new long[SECONDS + 1];

    synchronized void record(long nowMs, long count) {
        long second = nowMs / 1000;
        int slot = (int) (second % bytes.length);
        if (secondOf[slot] != second) {
            secondOf[slot] = second;
            bytes[slot] = 0;
        }
        bytes[slot] += count;
    }

    /** Bits per second over the last {@value #SECONDS} s (the current partial second counted in). */
    synchronized long bitsPerSecond(long nowMs) {
        long second = nowMs / 1000;
        long sum = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (second - secondOf[i] <= SECONDS - 1 && secondOf[i] <= second) {
                sum += bytes[i];
            }
        }
        return sum * 8 / SECONDS;
    }
}
