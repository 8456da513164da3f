package io.streammanager.encoder.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RealTimeWatchTest {

    private static final long INTERVAL_NS = 33_333_333;

    @Test
    void aSecondOfSlowFramesIsOneEpisodeReportedOnceAndASecondOfGoodOnesEndsIt() {
        RealTimeWatch watch = new RealTimeWatch(30);
        List<RealTimeWatch.Onset> onsets = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            onsets.add(watch.frame(40_000_000, INTERVAL_NS, 0));
        }
        assertEquals(29, onsets.indexOf(RealTimeWatch.Onset.BEHIND), "reported once a second of frames was slow");
        assertEquals(1, onsets.stream().filter(o -> o != RealTimeWatch.Onset.NONE).count(), "once per episode");
        assertTrue(watch.behind());
        for (int i = 0; i < 30; i++) {
            watch.frame(10_000_000, INTERVAL_NS, 0);
        }
        assertFalse(watch.behind(), "a second within the interval ends it");
        assertEquals(RealTimeWatch.Onset.NONE, watch.frame(40_000_000, INTERVAL_NS, 0), "one slow frame is no episode");
    }

    @Test
    void lostFramesStartADroppingEpisodeAtOnce() {
        RealTimeWatch watch = new RealTimeWatch(30);
        assertEquals(RealTimeWatch.Onset.DROPPING, watch.frame(1_000_000, INTERVAL_NS, 3));
        assertEquals(RealTimeWatch.Onset.NONE, watch.frame(1_000_000, INTERVAL_NS, 2), "the same episode");
        for (int i = 0; i < 30; i++) {
            watch.frame(1_000_000, INTERVAL_NS, 0);
        }
        assertFalse(watch.dropping());
        assertEquals(RealTimeWatch.Onset.DROPPING, watch.frame(1_000_000, INTERVAL_NS, 1), "a new episode");
    }
}
