package io.streammanager.composition.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A file's pace on the wall clock, across the passes of a loop. */
class PacerTest {

    private static final long MS = 1_000_000L;

    @Test
    void aLoopGoesOnWhereThePreviousPassEnded() {
        MediaSource.Pacer pacer = new MediaSource.Pacer();
        assertFalse(pacer.inPass());
        long start = 5_000 * MS;
        assertEquals(start, pacer.dueNs(0, 21_333, start));
        assertTrue(pacer.inPass());
        long us = 21_333;
        for (; us < 1_000_000 - 21_333; us += 21_333) { // sound in 1024-sample packets
            assertEquals(start + us * 1000, pacer.dueNs(us, 21_333, start + us * 1000));
        }
        pacer.dueNs(us, 1_000_000 - us, start + us * 1000); // the last packet is shorter: the sound ends at 1 s
        pacer.startOver();
        long secondPassSeen = start + 1_030 * MS; // the seek and first read took 30 ms: that is caught up
        assertEquals(start + 1_000 * MS, pacer.dueNs(0, 21_333, secondPassSeen));
        assertEquals(start + 1_021_333_000L, pacer.dueNs(21_333, 21_333, secondPassSeen));
    }

    @Test
    void aLoopedClipPacedByItsPicturesEndsOneFrameAfterItsLastPicture() {
        MediaSource.Pacer pacer = new MediaSource.Pacer();
        for (long us = 0; us < 2_000_000; us += 40_000) { // 25 fps for 2 s
            pacer.dueNs(us, 0, us * 1000);
        }
        pacer.startOver();
        assertEquals(2_000 * MS, pacer.dueNs(0, 0, 2_005 * MS));
    }

    @Test
    void aFileWhoseTimestampsStartLateIsPacedFromItsFirstTimestamp() {
        MediaSource.Pacer pacer = new MediaSource.Pacer();
        assertEquals(100 * MS, pacer.dueNs(1_400_000, 0, 100 * MS));
        assertEquals(140 * MS, pacer.dueNs(1_440_000, 0, 120 * MS));
    }

    @Test
    void aPassMoreThanASecondBehindStartsANewTimelineInsteadOfRushing() {
        MediaSource.Pacer pacer = new MediaSource.Pacer();
        pacer.dueNs(0, 0, 0);
        long stalledUntil = 3_000 * MS; // the next timestamp, due at 40 ms, is read 3 s late
        assertEquals(stalledUntil, pacer.dueNs(40_000, 0, stalledUntil));
        assertEquals(stalledUntil + 40 * MS, pacer.dueNs(80_000, 0, stalledUntil), "on from there at the file's pace");
    }
}
