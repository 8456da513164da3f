package io.streammanager.muxer.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammanager.bus.shm.Track;
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

    @Test
    void audioSharesTheVideoOffsetSoBothTracksStayInSync() {
        TimestampRebaser rebaser = new TimestampRebaser();
        assertFalse(rebaser.rebase(Track.AUDIO, 4_990_000, 4_990_000, 21_333), "a connection starts with video");
        assertTrue(rebaser.rebase(Track.VIDEO, 5_000_000, 5_000_000, 33_333));
        assertFalse(rebaser.rebase(Track.AUDIO, 4_978_667, 4_978_667, 21_333), "audio before the start keyframe");
        assertTrue(rebaser.rebase(Track.AUDIO, 5_000_000, 5_000_000, 21_333));
        assertEquals(0, rebaser.dtsUs());
        assertTrue(rebaser.rebase(Track.VIDEO, 5_033_333, 5_033_333, 33_333));
        assertTrue(rebaser.rebase(Track.AUDIO, 5_021_333, 5_021_333, 21_333), "audio may trail the video a little");
        assertEquals(21_333, rebaser.dtsUs());
    }

    @Test
    void afterAProducerRestartAudioFollowsTheVideoJumpAndItsOverlapIsDropped() {
        TimestampRebaser rebaser = new TimestampRebaser();
        rebaser.rebase(Track.VIDEO, 1_000_000, 1_000_000, 33_333);
        rebaser.rebase(Track.AUDIO, 1_000_000, 1_000_000, 21_333);
        rebaser.rebase(Track.AUDIO, 1_021_333, 1_021_333, 21_333);
        rebaser.rebase(Track.AUDIO, 1_042_666, 1_042_666, 21_333);
        assertTrue(rebaser.rebase(Track.VIDEO, 0, 0, 33_333)); // encoder restarted at 0: video continues at 33_333
        assertEquals(33_333, rebaser.dtsUs());
        assertFalse(rebaser.rebase(Track.AUDIO, 0, 0, 21_333), "would overlap the audio already written");
        assertTrue(rebaser.rebase(Track.AUDIO, 21_333, 21_333, 21_333));
        assertEquals(54_666, rebaser.dtsUs(), "audio moved with the video's new offset");
    }
}
