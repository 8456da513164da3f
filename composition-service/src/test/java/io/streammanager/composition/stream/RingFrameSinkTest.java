package io.streammanager.composition.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RingFrameSinkTest {

    @Test
    void theFrameIndexComesBackFromEveryPtsAWholeRateClockStamps() {
        for (int fps : new int[] {1, 7, 24, 25, 29, 30, 50, 60, 1000}) {
            for (long i = 0; i < 2_000_000; i += i < 10_000 ? 1 : 997) {
                long ptsUs = i * 1_000_000 / fps;
                assertEquals(i, RingFrameSink.frameIndex(ptsUs, fps), "fps=" + fps + " pts=" + ptsUs);
            }
            long tenYears = 10L * 365 * 24 * 3600 * fps;
            assertEquals(tenYears, RingFrameSink.frameIndex(tenYears * 1_000_000 / fps, fps), "fps=" + fps);
        }
    }
}
