package io.streammanager.composition.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sync rule fed simulated ticks: a source's pictures arrive at its own pace plus jitter, a 30 fps clock shows
 * the newest at each tick (some ticks skipped), and the sound's head runs on the clock at an offset from the picture
 * timeline that the test moves (a step, a drift) and the rule's corrections move back.
 */
class SyncAlignerTest {

    private static final double TICK_US = 1_000_000.0 / 30;
    private static final int TEN_MINUTES = 30 * 600;

    /** One run of ticks; offsetUs = picture timeline minus sound head, what a viewer would call the lip offset. */
    private static final class Run {
        final SyncAligner aligner = new SyncAligner();
        final Random random;
        final double pictureUs;
        final long jitterUs;
        final double skipChance;
        double offsetUs;
        double nextArrivalUs;
        long nextPicture;
        long shownPicture = -1;
        double shownArrivalUs;
        long tick;
        final List<Long> correctionTicks = new ArrayList<>();

        Run(long seed, int fps, long jitterUs, double skipChance, double startOffsetUs) {
            this.random = new Random(seed);
            this.pictureUs = 1_000_000.0 / fps;
            this.jitterUs = jitterUs;
            this.skipChance = skipChance;
            this.offsetUs = startOffsetUs;
            // the source's timeline starts at a random phase against the clock; decode takes 3 ms
            this.nextArrivalUs = random.nextDouble() * TICK_US + 3_000;
        }

        /**
         * The offset at which each picture's sound plays, on average, at the tick the picture first shows: the
         * decode time plus the mean age of pictures on that tick (the error then is offset - 3 ms - jitter - age).
         */
        double idealUs() {
            return 3_000 + firstShowAgesUs / firstShows;
        }

        /** Runs {@code ticks} ticks, the offset drifting {@code driftUsPerTick} each; returns the worst error. */
        double ticks(int ticks, double driftUsPerTick) {
            double worstUs = 0;
            for (int i = 0; i < ticks; i++, tick++) {
                double nowUs = tick * TICK_US;
                offsetUs += driftUsPerTick;
                while (nextArrivalUs <= nowUs) { // the newest arrived picture is the one shown
                    shownPicture = nextPicture++;
                    shownArrivalUs = nextArrivalUs;
                    double jitter = jitterUs == 0 ? 0 : random.nextLong(-jitterUs, jitterUs + 1);
                    // one decoder thread: arrivals keep their order
                    nextArrivalUs = Math.max(nextArrivalUs, nextPicture * pictureUs + 3_000 + jitter);
                }
                boolean skipped = random.nextDouble() < skipChance; // its sound is dropped: the head stays on time
                if (shownPicture < 0 || skipped) {
                    skippedBefore = skipped;
                    continue;
                }
                // as the track: a picture's first tick shows the display lag, unless it waited through skipped ticks
                boolean firstShow = shownPicture != lastShown && !skippedBefore;
                lastShown = shownPicture;
                skippedBefore = false;
                double headUs = nowUs - offsetUs; // the source's pace is the clock's
                long errorUs = Math.round(shownPicture * pictureUs - headUs);
                long ageUs = Math.round(nowUs - shownArrivalUs);
                if (firstShow) {
                    firstShowAgesUs += ageUs;
                    firstShows++;
                }
                long frames = aligner.correction(errorUs, ageUs, firstShow);
                if (frames != 0) {
                    correctionTicks.add(tick);
                    offsetUs -= frames * 1_000_000.0 / AudioQueue.SAMPLE_RATE;
                }
                worstUs = Math.max(worstUs, Math.abs(offsetUs - idealUs()));
            }
            return worstUs;
        }

        long lastShown = -1;
        boolean skippedBefore;
        double firstShowAgesUs;
        long firstShows;
    }

    private static Run settled(long seed, int fps) {
        Run run = new Run(seed, fps, 8_000, 0.01, 500_000);
        run.ticks(150, 0); // five seconds: the first cut and the settling ones
        assertTrue(run.correctionTicks.size() <= 3, "settles with at most three corrections: " + run.correctionTicks);
        run.correctionTicks.clear();
        return run;
    }

    @Test
    void aSourceInSyncIsNeverCorrectedOverTenMinutesOfJitterAndSkippedTicks() {
        for (int fps : new int[] {25, 30, 24, 50}) {
            for (long seed = 1; seed <= 5; seed++) {
                Run run = settled(seed, fps);
                run.ticks(TEN_MINUTES, 0);
                assertEquals(List.of(), run.correctionTicks, fps + " fps, seed " + seed + ": corrections at ticks");
            }
        }
    }

    @Test
    void aFortyMillisecondStepIsCorrectedWithinASecondToFiveMilliseconds() {
        for (int fps : new int[] {25, 30}) {
            for (long seed = 1; seed <= 5; seed++) {
                for (int sign : new int[] {1, -1}) {
                    Run run = settled(seed, fps);
                    run.offsetUs += sign * 40_000; // a reconnect: the sound lands 40 ms off its picture
                    long stepTick = run.tick;
                    run.ticks(30, 0);
                    String what = fps + " fps, seed " + seed + ", step " + sign * 40 + " ms";
                    assertEquals(1, run.correctionTicks.size(), what + ": one correction " + run.correctionTicks);
                    assertTrue(run.correctionTicks.getFirst() - stepTick <= 30, what);
                    assertTrue(Math.abs(run.offsetUs - run.idealUs()) <= 5_000,
                            what + ": left " + (run.offsetUs - run.idealUs()) + " us off, lag " + run.aligner.lagUs()
                                    + " (ideal " + (run.idealUs() - 3000) + ") at " + run.correctionTicks);
                    run.correctionTicks.clear();
                    run.ticks(30 * 60, 0);
                    assertEquals(List.of(), run.correctionTicks, what + ": and then left alone");
                }
            }
        }
    }

    @Test
    void aDriftOfOneMillisecondPerSecondIsKeptWithinFifteenMilliseconds() {
        for (int fps : new int[] {25, 30}) {
            for (long seed = 1; seed <= 5; seed++) {
                for (int sign : new int[] {1, -1}) {
                    Run run = settled(seed, fps);
                    double worstUs = run.ticks(30 * 120, sign * 1_000.0 / 30);
                    String what = fps + " fps, seed " + seed + ", drift " + sign + " ms/s";
                    assertTrue(worstUs <= 15_000, what + ": " + worstUs + " us off");
                    assertTrue(run.correctionTicks.size() >= 8 && run.correctionTicks.size() <= 24,
                            what + ": about one correction per 10 ms drifted: " + run.correctionTicks.size());
                }
            }
        }
    }

    @Test
    void aLoopRestartCorrectsTheNewTimelinesOffsetAsSoonAsPictureAndSoundAreBothOnIt() {
        Run run = settled(7, 25);
        run.offsetUs += 300_000; // the picture starts over first: for a few ticks the error is past the resync limit
        run.ticks(2, 0);
        run.offsetUs -= 300_000 - 15_000; // then the sound too, 15 ms later than its pictures (an old tail)
        run.correctionTicks.clear();
        long backTick = run.tick;
        run.ticks(1, 0);
        assertEquals(List.of(backTick), run.correctionTicks, "corrected on the first tick of the new timeline");
        // one tick's error: as good as that picture's arrival (8 ms of jitter here), refined when the windows fill
        assertTrue(Math.abs(run.offsetUs - run.idealUs()) <= 10_000, "to " + (run.offsetUs - run.idealUs()) + " us");
        run.ticks(30 * 3, 0);
        assertTrue(Math.abs(run.offsetUs - run.idealUs()) <= 5_000, "then " + (run.offsetUs - run.idealUs()) + " us");
        run.correctionTicks.clear();
        run.ticks(30 * 60, 0);
        assertEquals(List.of(), run.correctionTicks, "and is left alone");
    }

    @Test
    void aJumpOfOneOrTwoTicksIsIgnoredAndOneThatLastsIsFollowedAtOnce() {
        SyncAligner aligner = new SyncAligner();
        assertEquals(480, aligner.correction(10_000, 0, false), "the first error is corrected at once");
        assertEquals(0, aligner.correction(-300_000, 0, true), "a jump of one tick may be picture and sound apart");
        assertEquals(0, aligner.correction(-300_000, 0, false));
        assertEquals(SyncAligner.framesOf(-300_000), aligner.correction(-300_000, 0, false), "a jump that lasts");
        for (int i = 0; i < SyncAligner.LONG_TICKS * 3; i++) {
            // a staircase in sync: each picture's age makes up for its step, and on average a picture first shows
            // 12.5 ms after it arrived, when the sound is at its time
            long stepUs = (i % 4) * 8_333;
            assertEquals(0, aligner.correction(12_500 - stepUs, stepUs, true), "and the staircase is left alone");
        }
    }
}
