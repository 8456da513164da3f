package io.streammanager.composition.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ShortBuffer;
import org.junit.jupiter.api.Test;

/**
 * A track reading at its picture's time, a loop's new timeline, and the steady latency of sound without a picture
 * (the sync rule itself: {@link SyncAlignerTest}).
 */
class SyncTest {

    private static final long FRAME_US = 33_333;

    @Test
    void soundEarlierThanThePictureIsCutAndLaterSoundGetsSilenceBeforeIt() {
        // the queue head is at 0 s while the picture on screen is at 0.5 s: 0.5 s of sound is dropped at once
        AudioTrack track = new AudioTrack("cam", new AudioQueue(96_000));
        track.audioLive(true);
        ramp(track, 0, 48_000); // a sample's value says its source time, in 1/48000 s
        short[] out = new short[3200];
        track.pictureShown(500_000, System.nanoTime());
        track.hear(1);
        track.fill(out, 1600);
        assertEquals(24_000 % 32_768, out[0], "takes the sound from the picture's time");
        assertEquals(24_000, track.droppedSamples());

        // sound later than the picture: the picture is at 2 s, the queue head at 2.1 s -> 100 ms of silence first
        AudioTrack late = new AudioTrack("late", new AudioQueue(96_000));
        late.audioLive(true);
        late.queue().write(ShortBuffer.wrap(new short[48_000 * 2]), 48_000, 2_100_000);
        late.pictureShown(2_000_000, System.nanoTime());
        late.hear(1);
        late.fill(out, 1600);
        assertEquals(1600, late.queue().available() == 48_000 ? 1600 : -1, "nothing read: all silence");
        assertTrue(late.underruns() > 0, "inserted silence is an underrun");
        for (int tick = 1; tick < 3; tick++) {
            late.pictureShown(2_000_000 + tick * FRAME_US, System.nanoTime());
            late.fill(out, 1600);
        }
        assertEquals(48_000 - (3 * 1600 - 4800), late.queue().available(), "100 ms = 4800 frames of silence");
    }

    @Test
    void aLoopsNewPictureSkipsTheOldTimelinesQueuedTailToItsOwnSound() {
        AudioTrack track = new AudioTrack("loop", new AudioQueue(96_000));
        track.audioLive(true);
        short[] out = new short[3200];
        ramp(track, 4_900_000, 4800); // the old loop's last 100 ms, still queued
        track.pictureShown(4_900_000, System.nanoTime());
        track.hear(1);
        track.fill(out, 1600);
        short[] next = new short[48_000 * 2];
        java.util.Arrays.fill(next, (short) -7);
        track.queue().write(ShortBuffer.wrap(next), 48_000, 0); // the new loop's first second
        track.pictureShown(0, System.nanoTime()); // its first picture
        track.hear(1);
        track.fill(out, 1600);
        assertEquals(-7, out[0], "the new loop's sound plays with its first picture, not after the old tail");
        assertEquals(3200, track.droppedSamples(), "the rest of the old tail went");
    }

    @Test
    void aLoopWhoseSoundAndPictureStartOverOnTheSameTickIsAlignedAtOnce() {
        AudioTrack track = new AudioTrack("loop", new AudioQueue(96_000));
        track.audioLive(true);
        short[] out = new short[3200];
        ramp(track, 4_900_000, 4800);
        track.pictureShown(4_900_000, System.nanoTime());
        track.hear(1);
        track.fill(out, 1600); // aligned: the old loop's last 100 ms play from their start
        track.queue().skip(3200); // its tail has played
        ramp(track, 15_000, 4800); // the new loop's sound from 15 ms (a decoder's first chunk lost, say)
        track.pictureShown(0, System.nanoTime()); // and its first picture, on the same tick
        track.hear(1);
        track.fill(out, 1600);
        assertEquals(0, out[0], "15 ms of silence first: the sound waits for its picture");
        assertEquals(0, out[2 * 719]);
        assertEquals(0, out[2 * 720], "then the sound from its start");
        assertEquals(1, out[2 * 721]);
    }

    @Test
    void aLoopsSoundWaitsForItsFirstPictureWhileTheOldLastPictureIsShown() {
        AudioTrack track = new AudioTrack("loop", new AudioQueue(96_000));
        track.audioLive(true);
        short[] out = new short[3200];
        ramp(track, 4_960_000, 2000); // the old loop's last picture's sound and a tail shorter than a tick
        ramp(track, 0, 4800); // the new loop's sound, before its picture
        track.pictureShown(4_960_000, System.nanoTime()); // the old loop's last picture
        track.hear(1);
        track.fill(out, 1600);
        track.pictureShown(4_960_000, System.nanoTime());
        track.hear(1);
        track.fill(out, 1600);
        assertEquals(1999, out[2 * 399], "the tail plays");
        assertEquals(0, out[2 * 400], "then silence: the new timeline's sound does not start under the old picture");
        track.pictureShown(4_960_000, System.nanoTime()); // still the old picture: the reopen takes a while
        track.hear(1);
        track.fill(out, 1600);
        assertEquals(0, out[2 * 800], "silence: the new sound waits");
        assertEquals(4800, track.queue().available(), "and nothing of it is used");
        track.pictureShown(0, System.nanoTime()); // its first picture
        track.hear(1);
        track.fill(out, 1600);
        assertEquals(800, out[2 * 800], "the new loop's sound plays with its first picture, from its start");
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
