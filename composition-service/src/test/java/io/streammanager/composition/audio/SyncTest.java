package io.streammanager.composition.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ShortBuffer;
import org.junit.jupiter.api.Test;

/** The rule that keeps a source's sound on its picture, and the steady latency of sound without a picture. */
class SyncTest {

    private static final long FRAME_US = 33_333;

    @Test
    void soundEarlierThanThePictureIsCutAndLaterSoundGetsSilenceBeforeIt() {
        // the queue head is at 0 s while the picture on screen is at 0.5 s: 0.5 s of sound is dropped at once
        AudioTrack track = new AudioTrack("cam", new AudioQueue(96_000));
        track.audioLive(true);
        ramp(track, 0, 48_000); // a sample's value says its source time, in 1/48000 s
        short[] out = new short[3200];
        track.pictureShown(500_000);
        track.hear(1);
        track.fill(out, 1600, FRAME_US);
        assertEquals(24_000 % 32_768, out[0], "takes the sound from the picture's time");
        assertEquals(24_000, track.droppedSamples());

        // sound later than the picture: the picture is at 2 s, the queue head at 2.1 s -> 100 ms of silence first
        AudioTrack late = new AudioTrack("late", new AudioQueue(96_000));
        late.audioLive(true);
        late.queue().write(ShortBuffer.wrap(new short[48_000 * 2]), 48_000, 2_100_000);
        late.pictureShown(2_000_000);
        late.hear(1);
        late.fill(out, 1600, FRAME_US);
        assertEquals(1600, late.queue().available() == 48_000 ? 1600 : -1, "nothing read: all silence");
        assertTrue(late.underruns() > 0, "inserted silence is an underrun");
        for (int tick = 1; tick < 3; tick++) {
            late.pictureShown(2_000_000 + tick * FRAME_US);
            late.fill(out, 1600, FRAME_US);
        }
        assertEquals(48_000 - (3 * 1600 - 4800), late.queue().available(), "100 ms = 4800 frames of silence");
    }

    @Test
    void aSmallSteadyOffsetIsLeftAloneAndADriftIsCorrectedOnce() {
        SyncAligner aligner = new SyncAligner();
        assertEquals(480, aligner.correction(10_000), "the first error is corrected at once");
        for (int i = 0; i < 100; i++) {
            // a 25 fps picture on a 30 fps clock: the error saws between 0 and a frame around its mean
            long error = (i % 5) * 8_000 - 16_000;
            assertEquals(0, aligner.correction(error), "tick " + i);
        }
        long corrected = 0;
        for (int i = 0; i < 30 && corrected == 0; i++) {
            corrected = aligner.correction(40_000); // the sound fell 40 ms behind
        }
        assertTrue(corrected > SyncAligner.framesOf(SyncAligner.TOLERANCE_US), "drops the drift: " + corrected);
        assertEquals(0, aligner.correction(-300_000), "a jump of one tick may be picture and sound arriving apart");
        assertEquals(0, aligner.correction(-300_000));
        assertEquals(SyncAligner.framesOf(-300_000), aligner.correction(-300_000), "a jump that lasts is followed");
        assertEquals(0, aligner.correction(1_000), "and the sound is on the picture again");
    }

    @Test
    void soundWithoutAPictureKeepsAboutTwoTicksQueued() {
        SteadyLatency latency = new SteadyLatency();
        assertEquals(-1, latency.beforeRead(1600, 1600), "fills two ticks first");
        assertEquals(0, latency.beforeRead(3200, 1600));
        assertEquals(0, latency.beforeRead(6400, 1600), "four ticks is still fine");
        assertEquals(8000 - 3200, latency.beforeRead(8000, 1600), "past four ticks: back to two");
        latency.afterRead(1000, 1600);
        assertEquals(-1, latency.beforeRead(3000, 1600), "ran dry: refills before playing again");
    }

    private static void ramp(AudioTrack track, long startUs, int frames) {
        short[] samples = new short[frames * 2];
        for (int i = 0; i < frames; i++) {
            samples[2 * i] = (short) i;
            samples[2 * i + 1] = (short) i;
        }
        track.queue().write(ShortBuffer.wrap(samples), frames, startUs);
    }
}
