package io.streammanager.muxer.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TimestampRebaserTest {

    @Test
    void everyConnectionStartsAtZero() {
        TimestampRebaser rebaser = new TimestampRebaser();
        rebaser.rebase(5_000_000, 5_000_000, 33_333);
        assertEquals(0, rebaser.dtsUs());
        rebaser.rebase(5_033_333, 5_033_333, 33_333);
        assertEquals(33_333, rebaser.dtsUs());
        rebaser.reset();
        rebaser.rebase(9_000_000, 9_000_000, 33_333);
        assertEquals(0, rebaser.ptsUs());
    }

    @Test
    void aProducerRestartDoesNotMakeTimeGoBack() {
        TimestampRebaser rebaser = new TimestampRebaser();
        rebaser.rebase(1_000_000, 1_000_000, 33_333);
        rebaser.rebase(1_033_333, 1_033_333, 33_333);
        rebaser.rebase(0, 0, 33_333); // encoder restarted, its clock begins again
        assertEquals(66_666, rebaser.dtsUs());
        rebaser.rebase(33_333, 33_333, 33_333);
        assertEquals(99_999, rebaser.dtsUs());
    }

    @Test
    void ptsKeepsItsReorderDelayAndNeverFallsBelowDts() {
        TimestampRebaser rebaser = new TimestampRebaser();
        rebaser.rebase(1_066_666, 1_000_000, 33_333);
        assertEquals(0, rebaser.dtsUs());
        assertEquals(66_666, rebaser.ptsUs());
        rebaser.rebase(1_000_000, 1_000_000, 33_333); // dts collides: pushed forward, pts follows
        assertTrue(rebaser.dtsUs() > 0 && rebaser.ptsUs() >= rebaser.dtsUs());
    }
}
