package io.streammanager.composition.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import org.junit.jupiter.api.Test;

class AudioMixerTest {

    private static final ValueLayout.OfShort S16_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Test
    void slotsOfOneSecondHoldExactly48000SampleFramesAt30And25And60Fps() {
        for (int fps : new int[] {30, 25, 60, 24, 7}) {
            for (int second = 0; second < 3; second++) {
                long total = 0;
                int min = Integer.MAX_VALUE;
                int max = 0;
                for (long i = (long) second * fps; i < (long) (second + 1) * fps; i++) {
                    int n = AudioMixer.samplesInFrame(i, fps);
                    total += n;
                    min = Math.min(min, n);
                    max = Math.max(max, n);
                }
                assertEquals(48_000, total, "fps " + fps + " second " + second);
                assertTrue(max - min <= 1, "fps " + fps + ": slots differ by at most one sample");
                assertTrue(max <= AudioMixer.maxSamplesPerFrame(fps));
            }
        }
        assertEquals(1600, AudioMixer.samplesInFrame(12345, 30));
        assertEquals(1920, AudioMixer.samplesInFrame(7, 25));
    }

    @Test
    void volumeScalesMuteSilencesAndTheSumIsClippedAndCounted() {
        AudioTracks tracks = new AudioTracks();
        AudioTrack a = track(tracks, "a");
        AudioTrack b = track(tracks, "b");
        AudioMixer mixer = new AudioMixer(tracks, 30);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(1600 * 4);
            // without a picture a source keeps two ticks queued before it plays (SteadyLatency)
            feed(a, 1600, (short) 10_000);
            feed(b, 1600, (short) 4_000);
            // tick 0: both heard at volume 0.5 from silence: the gain ramps up over the slot (no click)
            for (int tick = 0; tick < 3; tick++) {
                feed(a, 1600, (short) 10_000);
                feed(b, 1600, (short) 4_000);
                a.hear(0.5);
                b.hear(0.5);
                assertEquals(1600, mixer.mix(tick, slot));
                if (tick == 0) {
                    assertEquals(0, sample(slot, 0), "a ramp starts at the previous gain (none)");
                    assertEquals(7000, sample(slot, 1599 * 2), "and ends at the new one");
                }
            }
            // steady at 0.5: 5000 + 2000 in both channels of every sample frame
            assertEquals(7000, sample(slot, 0));
            assertEquals(7000, sample(slot, 1599 * 2 + 1));
            assertEquals(0, mixer.clippedSamples());

            // b muted (gain 0) for two ticks: it ramps out, then only a is heard
            for (int tick = 3; tick < 5; tick++) {
                feed(a, 1600, (short) 10_000);
                feed(b, 1600, (short) 4_000);
                a.hear(0.5);
                b.hear(0);
                mixer.mix(tick, slot);
            }
            assertEquals(5000, sample(slot, 800));

            // a at volume 2 and b at 2: 20000 + 8000 fits; a full-scale source at 2 clips every sample
            for (int tick = 5; tick < 7; tick++) {
                feed(a, 1600, (short) 30_000);
                feed(b, 1600, (short) -30_000);
                a.hear(2);
                b.hear(0);
                mixer.mix(tick, slot);
            }
            assertEquals(Short.MAX_VALUE, sample(slot, 100));
            assertTrue(mixer.clippedSamples() >= 1600 * 2, "clipped: " + mixer.clippedSamples());
        }
    }

    @Test
    void aSourceNoLayerHearsIsSilentAndANewSourceFadesIn() {
        AudioTracks tracks = new AudioTracks();
        AudioTrack a = track(tracks, "a");
        AudioMixer mixer = new AudioMixer(tracks, 25);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(1920 * 4);
            for (int tick = 0; tick < 4; tick++) {
                feed(a, 1920, (short) 12_000);
                assertEquals(1920, mixer.mix(tick, slot));
                assertEquals(0, sample(slot, 1000), "not heard: silence");
            }
            assertTrue(a.levelDbfs() > -10, "the source's own level is still measured: " + a.levelDbfs());
        }
    }

    @Test
    void ticksTheClockSkippedTakeTheirSoundWithThemSoSourcesStayOnTheirPicture() {
        AudioTracks tracks = new AudioTracks();
        AudioTrack camera = track(tracks, "camera");
        AudioMixer mixer = new AudioMixer(tracks, 30);
        for (int tick = 0; tick < 5; tick++) {
            // each tick's interval of the source's sound has its own level, at that tick's source time
            short[] samples = new short[1600 * 2];
            java.util.Arrays.fill(samples, (short) (1000 * (tick + 1)));
            camera.queue().write(ShortBuffer.wrap(samples), 1600, tick * 1_000_000L / 30);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(1600 * 4);
            camera.pictureShown(0, System.nanoTime());
            camera.hear(1);
            mixer.mix(0, slot);
            assertEquals(1000, sample(slot, 1599 * 2), "tick 0 plays its own interval");
            // the clock was late and skipped ticks 1 and 2; tick 3 shows the source's picture of that time
            camera.pictureShown(3 * 1_000_000L / 30, System.nanoTime());
            camera.hear(1);
            mixer.mix(3, slot);
            assertEquals(4000, sample(slot, 0), "tick 3 plays tick 3's sound, not tick 1's");
            assertEquals(4000, sample(slot, 1599 * 2));
        }
    }

    static AudioTrack track(AudioTracks tracks, String name) {
        AudioTrack track = new AudioTrack(name, new AudioQueue(48_000));
        track.audioLive(true);
        tracks.add(track);
        return track;
    }

    static void feed(AudioTrack track, int frames, short value) {
        short[] samples = new short[frames * 2];
        java.util.Arrays.fill(samples, value);
        track.queue().write(ShortBuffer.wrap(samples), frames, 0);
    }

    static short sample(MemorySegment slot, int index) {
        return slot.get(S16_LE, index * 2L);
    }
}
