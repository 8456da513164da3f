package io.streammanager.encoder.pipeline;

import java.util.Arrays;

/**
 * Where the last video frames went on the output timeline: (capture time, source pts) -> output pts. A PCM slot
 * carries its video frame's pts and capture time, so it lands exactly where its frame did, across composition
 * restarts (which change the offset) too. Fixed size, no allocation; one owning thread.
 */
final class VideoPlacements {

    private static final int SIZE = 64;
    private final long[] captureEpochUs = new long[SIZE];
    private final long[] sourcePtsUs = new long[SIZE];
    private final long[] outputPtsUs = new long[SIZE];
    private long count;

    VideoPlacements() {
        Arrays.fill(captureEpochUs, Long.MIN_VALUE);
    }

    void put(long captureUs, long sourceUs, long outputUs) {
        int index = (int) (count++ % SIZE);
        captureEpochUs[index] = captureUs;
        sourcePtsUs[index] = sourceUs;
        outputPtsUs[index] = outputUs;
    }

    /**
     * The output pts of a slot: its own frame's if remembered; else with the offset of the newest frame captured
     * before it (its frame was lost, the offset is that of its composition run); else with the newest offset.
     */
    long outputPtsOf(long captureUs, long sourceUs) {
        if (count == 0) {
            throw new IllegalStateException("no video frame placed yet");
        }
        int before = -1;
        for (int i = 0; i < SIZE; i++) {
            if (captureEpochUs[i] == Long.MIN_VALUE) {
                continue;
            }
            if (captureEpochUs[i] == captureUs && sourcePtsUs[i] == sourceUs) {
                return outputPtsUs[i];
            }
            if (captureEpochUs[i] <= captureUs && (before < 0 || captureEpochUs[i] > captureEpochUs[before])) {
                before = i;
            }
        }
        int from = before >= 0 ? before : (int) ((count - 1) % SIZE);
        return sourceUs + outputPtsUs[from] - sourcePtsUs[from];
    }
}
