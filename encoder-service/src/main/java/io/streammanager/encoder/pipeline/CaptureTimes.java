package io.streammanager.encoder.pipeline;

/**
 * Remembers the capture time of the last few frames by output pts, so a packet (which may come out of the encoder a
 * few frames later) carries its source frame's capture time. Fixed size, no allocation; one owning thread.
 */
final class CaptureTimes {

    private static final int SIZE = 64;
    private final long[] ptsUs = new long[SIZE];
    private final long[] captureEpochUs = new long[SIZE];
    private long next;

    CaptureTimes() {
        java.util.Arrays.fill(ptsUs, Long.MIN_VALUE);
    }

    void put(long pts, long capture) {
        int index = (int) (next++ % SIZE);
        ptsUs[index] = pts;
        captureEpochUs[index] = capture;
    }

    /** The capture time recorded for {@code pts}, or 0 if it has already been forgotten. */
    long captureOf(long pts) {
        for (int i = 0; i < SIZE; i++) {
            if (ptsUs[i] == pts) {
                return captureEpochUs[i];
            }
        }
        return 0;
    }
}
