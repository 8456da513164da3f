package io.streammanager.encoder.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.streammanager.bus.shm.FrameRingReader;
import io.streammanager.bus.shm.FrameRingWriter;
import io.streammanager.bus.shm.PcmGeometry;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.encoder.codec.AacTestDecoder;
import io.streammanager.encoder.codec.AudioEncoder;
import io.streammanager.encoder.codec.AudioEncoderSettings;
import io.streammanager.encoder.testing.PcmSignal;
import io.streammanager.encoder.testing.ShmTestDir;

/** The AAC track fed by hand, frame by frame, from a real PCM ring (or none) through the real encoder. */
class AudioTrackTest {

    private static final int FPS = 30;
    private static final long FRAME_US = 1_000_000L / FPS;
    private static final long AAC_FRAME_US = 1024L * 1_000_000 / 48_000;
    private static final long CAPTURE_BASE_US = 1_700_000_000_000_000L;
    /** Output pts = source pts + this (the worker's timeline need not start where the composition's does). */
    private static final long OFFSET_US = 5_000_000;
    private static final AudioEncoderSettings AUDIO = new AudioEncoderSettings(48_000, 2, 128_000);
    private static final double AMPLITUDE = 0.5;

    private record Out(long ptsUs, long durationUs, long captureUs, byte[] data) {
        long endUs() {
            return ptsUs + durationUs;
        }
    }

    private final List<Out> packets = new ArrayList<>();
    private final AudioStats stats = new AudioStats();
    private ShmTestDir shm;
    private Path pcmFile;

    @BeforeEach
    void createShm() {
        shm = ShmTestDir.create();
        pcmFile = RingFiles.pcmRing(shm.path(), "track-test");
    }

    @AfterEach
    void removeShm() {
        shm.close();
    }

    private AudioTrack open(Path file) throws Exception {
        return AudioTrack.open(AUDIO, file, (p, capture) -> packets.add(new Out(p.ptsUs(), p.durationUs(), capture,
                p.data().toArray(ValueLayout.JAVA_BYTE))), stats);
    }

    private static FrameRingWriter pcmRing(Path file) {
        return FrameRingWriter.create(file, PcmGeometry.forFrameRate(48_000, 2, FPS), 8);
    }

    /** Video frame {@code index} (and, with a ring, its PCM slot first) as the composition and worker would. */
    private static void frame(AudioTrack track, FrameRingWriter ring, PcmSignal signal, long index, long offsetUs) {
        long ptsUs = index * FRAME_US;
        long captureUs = CAPTURE_BASE_US + offsetUs + ptsUs;
        if (ring != null) {
            signal.publish(ring, index, ptsUs, captureUs);
        }
        track.videoFrame(ptsUs, captureUs, ptsUs + offsetUs, FRAME_US);
    }

    @Test
    void withoutAPcmRingAfterEveryVideoFrameTheTrackReachesItsEndAndNoMoreThanOneAacFrameBeyond() throws Exception {
        try (AudioTrack track = open(pcmFile)) {
            for (int i = 0; i < 90; i++) {
                frame(track, null, null, i, OFFSET_US);
                long videoEndUs = OFFSET_US + (i + 1) * FRAME_US;
                long endUs = packets.getLast().endUs();
                assertTrue(endUs >= videoEndUs && endUs <= videoEndUs + AAC_FRAME_US + 1,
                        "frame " + i + ": audio ends at " + endUs);
            }
        }
        assertTrue(packets.getFirst().ptsUs() <= OFFSET_US && packets.getFirst().ptsUs() >= OFFSET_US - AAC_FRAME_US,
                "audio starts at the first frame (less the encoder's priming): " + packets.getFirst());
        assertContiguous(packets);
        assertEquals(0, stats.pcmActive());
        assertTrue(stats.silenceFilledSamples() >= 90 * 1600, "silence counted: " + stats.silenceFilledSamples());
        assertEquals(CAPTURE_BASE_US + OFFSET_US + 45 * FRAME_US, packets.get(packets.size() / 2).captureUs(),
                FRAME_US + AAC_FRAME_US, "a silent packet carries the capture time of the frame that drove it");
    }

    @Test
    void withoutAPcmRingAVideoJumpOfSecondsLeavesAGapInsteadOfEncodingSecondsOfSilenceAtOnce() throws Exception {
        try (AudioTrack track = open(null)) {
            for (int i = 0; i < 10; i++) {
                frame(track, null, null, i, 0);
            }
            int before = packets.size();
            long jumpedIndex = 10 + 150;
            frame(track, null, null, jumpedIndex, 0);
            assertTrue(packets.size() - before < 10, "a few packets, not 5 s of them: " + (packets.size() - before));
            assertTrue(packets.getLast().endUs() >= (jumpedIndex + 1) * FRAME_US, "the track reaches the new frame");
            for (int i = 1; i < packets.size(); i++) {
                assertTrue(packets.get(i).ptsUs() > packets.get(i - 1).ptsUs(), "pts increases at " + i);
            }
        }
    }

    @Test
    void aToneInThePcmRingComesOutAtItsFrequencyAndLevelOnAContinuousClock() throws Exception {
        PcmSignal tone = new PcmSignal(FPS, 1000, AMPLITUDE, 0);
        try (FrameRingWriter ring = pcmRing(pcmFile); AudioTrack track = open(pcmFile)) {
            for (int i = 0; i < 90; i++) {
                frame(track, ring, tone, i, OFFSET_US);
            }
        }
        assertContiguous(packets);
        List<AacTestDecoder.Block> decoded = decode();
        float[] steady = PcmSignal.between(decoded, OFFSET_US + 10 * FRAME_US, OFFSET_US + 80 * FRAME_US);
        assertTrue(steady.length > 60_000, "samples " + steady.length);
        assertLevelAndFrequency(steady, 1000);
        assertEquals(1, stats.pcmActive());
        assertEquals(0, stats.silenceFilledSamples(), "a ring that keeps up needs no silence");
        assertEquals(0, stats.droppedSamples());
        assertTrue(stats.pcmSamples() >= 89 * 1600, "pcm samples " + stats.pcmSamples());
        for (Out packet : packets.subList(5, packets.size() - 5)) {
            long sourceUs = packet.ptsUs() + AAC_FRAME_US - OFFSET_US; // its first input sample, on the source clock
            assertEquals(CAPTURE_BASE_US + OFFSET_US + sourceUs, packet.captureUs(), FRAME_US,
                    "a packet carries the capture time of its slot");
        }
    }

    @Test
    void aBeepStartsAtThePtsOfItsVideoFrameWithinOneAacFrame() throws Exception {
        int beepFrame = 45;
        PcmSignal beep = new PcmSignal(FPS, 1000, AMPLITUDE, beepFrame * 1600L);
        try (FrameRingWriter ring = pcmRing(pcmFile); AudioTrack track = open(pcmFile)) {
            for (int i = 0; i < 90; i++) {
                frame(track, ring, beep, i, OFFSET_US);
            }
        }
        long onsetUs = PcmSignal.firstLouderThan(decode(), AMPLITUDE * 0.3);
        long videoUs = OFFSET_US + beepFrame * FRAME_US;
        assertEquals(videoUs, onsetUs, AAC_FRAME_US, "the beep comes out where its video frame went");
    }

    @Test
    void missingSlotsBecomeSilenceWithoutAJumpInTime() throws Exception {
        PcmSignal tone = new PcmSignal(FPS, 1000, AMPLITUDE, 0);
        try (FrameRingWriter ring = pcmRing(pcmFile); AudioTrack track = open(pcmFile)) {
            for (int i = 0; i < 90; i++) {
                if (i < 30 || i >= 40) { // a late clock skips frames 30..39: neither video nor PCM slots
                    frame(track, ring, tone, i, OFFSET_US);
                }
            }
        }
        assertContiguous(packets);
        List<AacTestDecoder.Block> decoded = decode();
        float[] gap = PcmSignal.between(decoded, OFFSET_US + 31 * FRAME_US, OFFSET_US + 39 * FRAME_US);
        assertTrue(PcmSignal.rms(gap) < 0.01, "silence where the slots were missing, rms " + PcmSignal.rms(gap));
        assertLevelAndFrequency(PcmSignal.between(decoded, OFFSET_US + 42 * FRAME_US, OFFSET_US + 80 * FRAME_US),
                1000);
        assertEquals(10 * 1600, stats.silenceFilledSamples(), 240, "the gap's samples are counted as silence");
    }

    @Test
    void aTornOrLappedSlotBecomesCountedSilence() throws Exception {
        PcmSignal tone = new PcmSignal(FPS, 1000, AMPLITUDE, 0);
        try (FrameRingWriter ring = pcmRing(pcmFile); AudioTrack track = open(pcmFile)) {
            tone.publish(ring, 0, 0, CAPTURE_BASE_US);
            tone.publish(ring, 1, FRAME_US, CAPTURE_BASE_US + FRAME_US);
            // frame 0 takes slot 0 and holds slot 1 (captured after it) for frame 1
            track.videoFrame(0, CAPTURE_BASE_US, 0, FRAME_US);
            for (int i = 2; i < 10; i++) { // the composition laps the reader: slot 1 is rewritten as slot 9
                tone.publish(ring, i, i * FRAME_US, CAPTURE_BASE_US + i * FRAME_US);
            }
            for (int i = 1; i < 40; i++) {
                if (i >= 10) {
                    tone.publish(ring, i, i * FRAME_US, CAPTURE_BASE_US + i * FRAME_US);
                }
                track.videoFrame(i * FRAME_US, CAPTURE_BASE_US + i * FRAME_US, i * FRAME_US, FRAME_US);
            }
        }
        assertEquals(1, stats.tornSlots(), "the held slot was rewritten");
        assertEquals(7, stats.lostSlots(), "slots 2..8 were lapped");
        assertEquals(8 * 1600, stats.silenceFilledSamples(), 240, "torn and lost slots became silence");
        assertContiguous(packets);
        assertLevelAndFrequency(PcmSignal.between(decode(), 12 * FRAME_US, 36 * FRAME_US), 1000);
    }

    @Test
    void aCompositionRestartOnBothRingsKeepsTheToneAndTheClockContinuous() throws Exception {
        PcmSignal tone = new PcmSignal(FPS, 1000, AMPLITUDE, 0);
        FrameRingWriter first = pcmRing(pcmFile); // the composition creates it before the worker looks
        try (AudioTrack track = open(pcmFile)) {
            try (first) {
                for (int i = 0; i < 30; i++) {
                    frame(track, first, tone, i, OFFSET_US);
                }
            }
            // the composition comes back on the same file (generation + 1), counting pts from zero again; the
            // worker's timeline puts its first frame right after the last one
            try (FrameRingWriter second = pcmRing(pcmFile)) {
                for (int i = 0; i < 60; i++) {
                    frame(track, second, tone, i, OFFSET_US + 30 * FRAME_US);
                }
            }
        }
        assertContiguous(packets);
        List<AacTestDecoder.Block> decoded = decode();
        assertLevelAndFrequency(PcmSignal.between(decoded, OFFSET_US + 35 * FRAME_US, OFFSET_US + 85 * FRAME_US),
                1000);
        assertTrue(stats.silenceFilledSamples() <= 1600, "at most a frame of silence across the restart: "
                + stats.silenceFilledSamples());
    }

    @Test
    void aPcmRingThatAppearsWithARestartedCompositionIsTakenFromThen() throws Exception {
        PcmSignal tone = new PcmSignal(FPS, 1000, AMPLITUDE, 0);
        try (AudioTrack track = open(pcmFile)) {
            for (int i = 0; i < 30; i++) {
                frame(track, null, tone, i, 0);
            }
            try (FrameRingWriter ring = pcmRing(pcmFile)) {
                track.frameRingRestarted();
                for (int i = 30; i < 90; i++) {
                    frame(track, ring, tone, i, 0);
                }
            }
        }
        assertContiguous(packets);
        List<AacTestDecoder.Block> decoded = decode();
        assertTrue(PcmSignal.rms(PcmSignal.between(decoded, 0, 29 * FRAME_US)) < 1e-4, "silence first");
        assertLevelAndFrequency(PcmSignal.between(decoded, 35 * FRAME_US, 80 * FRAME_US), 1000);
    }

    @Test
    void aSlotWithinFiveMillisecondsFollowsOnAndOneFurtherOffIsCutWhereItOverlaps() throws Exception {
        PcmSignal tone = new PcmSignal(FPS, 1000, AMPLITUDE, 0);
        try (FrameRingWriter ring = pcmRing(pcmFile); AudioTrack track = open(pcmFile)) {
            for (int i = 0; i < 60; i++) {
                // the composition's pts wander: 3 ms early from frame 20 (tolerated), 8 ms early from frame 40 (cut)
                long earlyUs = i < 20 ? 0 : i < 40 ? 3_000 : 8_000;
                long ptsUs = i * FRAME_US - earlyUs;
                long captureUs = CAPTURE_BASE_US + i * FRAME_US;
                tone.publish(ring, i, ptsUs, captureUs);
                track.videoFrame(ptsUs, captureUs, ptsUs, FRAME_US);
                if (i == 39) {
                    assertEquals(0, stats.droppedSamples(), "3 ms off follows on: nothing cut");
                }
            }
        }
        assertEquals(8 * 48, stats.droppedSamples(), 2, "the 8 ms overlap is cut once");
        assertEquals(0, stats.silenceFilledSamples());
        assertContiguous(packets);
    }

    @Test
    void aRingOfAnotherRateAndChannelCountIsResampledToTheTrack() throws Exception {
        PcmSignal tone = new PcmSignal(44_100, 1, FPS, 1000, AMPLITUDE, 0);
        try (FrameRingWriter ring = FrameRingWriter.create(pcmFile, PcmGeometry.forFrameRate(44_100, 1, FPS), 8);
             AudioTrack track = open(pcmFile)) {
            for (int i = 0; i < 90; i++) {
                long ptsUs = i * FRAME_US;
                tone.publish(ring, i, ptsUs, CAPTURE_BASE_US + ptsUs);
                track.videoFrame(ptsUs, CAPTURE_BASE_US + ptsUs, ptsUs, FRAME_US);
            }
        }
        assertContiguous(packets);
        // FFmpeg's default mono -> stereo upmix puts the mono signal at -3 dB on each side
        float[] steady = PcmSignal.between(decode(), 10 * FRAME_US, 80 * FRAME_US);
        double levelDb = 20 * Math.log10(PcmSignal.rms(steady) / (AMPLITUDE / Math.sqrt(2)));
        assertEquals(-3.0, levelDb, 1.0, "level of the upmixed tone");
        assertTrue(PcmSignal.amplitudeAt(steady, 1000) > 50 * PcmSignal.amplitudeAt(steady, 2000), "still 1 kHz");
        assertEquals(0, stats.silenceFilledSamples(), 240, "the resampler's delay is within the tolerance");
    }

    @Test
    void aLiveRingWhoseSlotsDoNotComeStillGetsSilenceTrailingTheVideoByAtMostItsLag() throws Exception {
        try (FrameRingWriter ring = pcmRing(pcmFile); AudioTrack track = open(pcmFile)) {
            long startNs = System.nanoTime();
            for (int i = 0; i < 30; i++) {
                ring.heartbeat(); // alive, but writing no PCM
                track.videoFrame(i * FRAME_US, CAPTURE_BASE_US + i * FRAME_US, i * FRAME_US, FRAME_US);
            }
            long tookMs = (System.nanoTime() - startNs) / 1_000_000;
            assertTrue(tookMs < 30 * 2 + 200, "at most a short wait per frame for its slot: " + tookMs + " ms");
        }
        long videoEndUs = 30 * FRAME_US;
        long audioEndUs = packets.getLast().endUs();
        assertTrue(audioEndUs >= videoEndUs - AudioTrack.PCM_LAG_US - 3 * AAC_FRAME_US,
                "audio trails the video by the allowed lag and the encoder's delay at most: " + audioEndUs);
        assertContiguous(packets);
        assertTrue(stats.silenceFilledSamples() > 20 * 1600, "silence counted: " + stats.silenceFilledSamples());
    }

    @Test
    void aStaleRingGetsTheSameSilenceOnTheVideoClockAsNoRing() throws Exception {
        try (FrameRingWriter ring = pcmRing(pcmFile); AudioTrack track = open(pcmFile);
             FrameRingReader watch = FrameRingReader.open(pcmFile, Duration.ofSeconds(1))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (watch.producerHeartbeatAgeMs() <= PcmInput.STALE_AFTER_MS && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000); // polled: a composition that stopped, its heartbeat ages
            }
            for (int i = 0; i < 30; i++) {
                track.videoFrame(i * FRAME_US, CAPTURE_BASE_US + i * FRAME_US, i * FRAME_US, FRAME_US);
                long videoEndUs = (i + 1) * FRAME_US;
                assertTrue(packets.getLast().endUs() >= videoEndUs
                        && packets.getLast().endUs() <= videoEndUs + AAC_FRAME_US + 1,
                        "frame " + i + ": audio ends at " + packets.getLast().endUs());
            }
        }
        assertEquals(0, stats.pcmActive());
        assertContiguous(packets);
    }

    @Test
    void aSlotCapturedAfterTheVideoFrameWaitsForItsOwnFrameButNotForSeconds() throws Exception {
        PcmSignal tone = new PcmSignal(FPS, 1000, AMPLITUDE, 0);
        try (FrameRingWriter ring = pcmRing(pcmFile); AudioTrack track = open(pcmFile)) {
            tone.publish(ring, 0, 0, CAPTURE_BASE_US);
            tone.publish(ring, 1, FRAME_US, CAPTURE_BASE_US + FRAME_US);
            track.videoFrame(0, CAPTURE_BASE_US, 0, FRAME_US);
            assertEquals(1600, stats.pcmSamples(), "frame 0 takes its slot, slot 1 waits for frame 1");
            track.videoFrame(FRAME_US, CAPTURE_BASE_US + FRAME_US, FRAME_US, FRAME_US);
            assertEquals(3200, stats.pcmSamples(), "frame 1 takes its slot");
            // a slot stamped 3 s after its frame (the clock stepped between them): taken now, not held for 3 s
            tone.publish(ring, 2, 2 * FRAME_US, CAPTURE_BASE_US + 2 * FRAME_US + 3_000_000);
            track.videoFrame(2 * FRAME_US, CAPTURE_BASE_US + 2 * FRAME_US, 2 * FRAME_US, FRAME_US);
            assertEquals(4800, stats.pcmSamples(), "a slot seconds ahead is not held");
        }
    }

    private List<AacTestDecoder.Block> decode() throws Exception {
        try (AacTestDecoder decoder = new AacTestDecoder(extradata())) {
            for (Out packet : packets) {
                decoder.decode(packet.data(), packet.ptsUs());
            }
            decoder.flush();
            assertEquals(packets.size(), decoder.frames(), "every packet decodes");
            return List.copyOf(decoder.blocks());
        }
    }

    private static byte[] extradata() throws Exception {
        try (AudioEncoder encoder = AudioEncoder.open(AUDIO)) {
            return encoder.extradata();
        }
    }

    /** A clean tone: RMS within 1 dB of what was written, and its energy at {@code hz}, not elsewhere. */
    private static void assertLevelAndFrequency(float[] samples, double hz) {
        double expectedRms = AMPLITUDE / Math.sqrt(2);
        double levelDb = 20 * Math.log10(PcmSignal.rms(samples) / expectedRms);
        assertEquals(0, levelDb, 1.0, "RMS level within 1 dB of the source");
        double at = PcmSignal.amplitudeAt(samples, hz);
        assertEquals(AMPLITUDE, at, AMPLITUDE * 0.12, "amplitude at " + hz + " Hz");
        for (double other : new double[] {250, 500, 2000, 3000}) {
            assertTrue(PcmSignal.amplitudeAt(samples, other) < at * 0.02, "little at " + other + " Hz: "
                    + PcmSignal.amplitudeAt(samples, other));
        }
    }

    /** Each packet starts where the previous one ended (to the microsecond of rounding): no gap, no overlap. */
    private static void assertContiguous(List<Out> packets) {
        assertTrue(packets.size() > 10, "packets " + packets.size());
        for (int i = 1; i < packets.size(); i++) {
            assertEquals(AAC_FRAME_US, packets.get(i).durationUs(), 1, "duration of packet " + i);
            assertEquals(packets.get(i - 1).endUs(), packets.get(i).ptsUs(), 1, "packet " + i + " follows on");
        }
    }
}
