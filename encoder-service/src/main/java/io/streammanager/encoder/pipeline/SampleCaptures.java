package io.streammanager.encoder.pipeline;

/**
 * The capture time of each stretch of the audio track's input, by sample position: a PCM slot's own capture time,
 * or for generated silence the capture time of the video frame that drove it. An AAC packet carries the capture
 * time of the stretch its first sample came from. Positions are added in increasing order. Fixed size, no
 * allocation; one owning thread.
 */
final class SampleCaptures {

    private static final int SIZE = 64;
    private final long[] positions = new long[SIZE];
    private final long[] captureEpochUs = new long[SIZE];
    private long count;

    /** From sample {@code position} on (until the next put), the input was captured at {@code captureUs}. */
    void put(long position, long captureUs) {
        if (count > 0) {
            int last = (int) ((count - 1) % SIZE);
            if (positions[last] == position) {
                captureEpochUs[last] = captureUs; // nothing was added since: the newer stretch replaces it
                return;
            }
        }
        int index = (int) (count++ % SIZE);
        positions[index] = position;
        captureEpochUs[index] = captureUs;
    }

    /** The capture time of sample {@code position}; the oldest one remembered if it is older; 0 before any put. */
    long captureAt(long position) {
        if (count == 0) {
            return 0;
        }
        long oldest = Math.max(0, count - SIZE);
        for (long i = count - 1; i >= oldest; i--) {
            int index = (int) (i % SIZE);
            if (positions[index] <= position) {
                return captureEpochUs[index];
            }
        }
        return captureEpochUs[(int) (oldest % SIZE)];
    }
}
