package io.streammanager.encoder.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.shm.CodecConfig;
import io.streammanager.bus.shm.FrameGeometry;
import io.streammanager.bus.shm.FrameRingWriter;
import io.streammanager.bus.shm.PcmGeometry;
import io.streammanager.bus.shm.PixelFormat;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.encoder.codec.AacTestDecoder;
import io.streammanager.encoder.codec.AudioEncoderSettings;
import io.streammanager.encoder.codec.HardwareMode;
import io.streammanager.encoder.codec.TestPatterns;
import io.streammanager.encoder.testing.PacketCollector;
import io.streammanager.encoder.testing.PacketCollector.Record;
import io.streammanager.encoder.testing.PcmSignal;

/**
 * A running worker between a real frame ring and PCM ring (written here as the composition would: the PCM slot of
 * each frame right after it, same pts and capture time) and a real packet ring, with the AAC decoded by FFmpeg.
 */
@Timeout(60)
class AudioWorkerTest extends WorkerTestBase {

    private static final Logger LOG = Logger.getLogger(AudioWorkerTest.class);
    private static final String STREAM = "audio-worker-test";
    private static final int FPS = 30;
    private static final long FRAME_US = 1_000_000L / FPS;
    private static final long AAC_FRAME_US = 1024L * 1_000_000 / 48_000;
    private static final long CAPTURE_BASE_US = 1_700_000_000_000_000L;
    private static final long SECOND_CAPTURE_BASE_US = CAPTURE_BASE_US + 3_600_000_000L;
    private static final FrameGeometry QVGA = new FrameGeometry(320, 240, PixelFormat.I420, FPS);
    private static final PcmGeometry PCM = PcmGeometry.forFrameRate(48_000, 2, FPS);
    private static final double AMPLITUDE = 0.5;

    @Test
    void aBeepInThePcmRingComesOutAtItsFramesPtsAtItsFrequencyAndLevel() throws Exception {
        int beepFrame = 45;
        PcmSignal beep = new PcmSignal(FPS, 1000, AMPLITUDE, beep(beepFrame));
        worker = startWorker();
        try (PacketCollector packets = PacketCollector.open(packetRing(), Duration.ofSeconds(5));
             FrameRingWriter pcm = FrameRingWriter.create(pcmRing(), PCM, 8);
             FrameRingWriter frames = FrameRingWriter.create(frameRing(), QVGA, 8)) {
            awaitStarted();
            produce(frames, pcm, beep, 0, 90, CAPTURE_BASE_US);
            long lastFrameUs = 89 * FRAME_US;
            assertTrue(packets.awaitRecords(r -> audioEndUs(r) >= lastFrameUs - 3 * AAC_FRAME_US,
                    Duration.ofSeconds(10)), "audio reaches the last frames");
            List<Record> records = packets.records();
            List<Record> audio = records.stream().filter(Record::audioPacket).toList();
            assertContiguous(audio);
            List<AacTestDecoder.Block> decoded = decode(records);

            long videoUs = videoPtsOfCapture(records, CAPTURE_BASE_US + beepFrame * FRAME_US);
            long onsetUs = PcmSignal.firstLouderThan(decoded, AMPLITUDE * 0.3);
            LOG.infof("A/V offset of the beep: %d us (video pts %d, audio onset %d)", onsetUs - videoUs, videoUs,
                    onsetUs);
            assertEquals(videoUs, onsetUs, AAC_FRAME_US, "the beep starts at its video frame's pts");
            float[] tone = PcmSignal.between(decoded, videoUs + 3 * FRAME_US, lastFrameUs - 5 * FRAME_US);
            double levelDb = 20 * Math.log10(PcmSignal.rms(tone) / beep.expectedRms());
            LOG.infof("tone level %.3f dB off the source, 1 kHz amplitude %.4f of %.4f", levelDb,
                    PcmSignal.amplitudeAt(tone, 1000), AMPLITUDE);
            assertEquals(0, levelDb, 1.0, "RMS within 1 dB of what was written");
            assertTrue(PcmSignal.amplitudeAt(tone, 1000) > 50 * PcmSignal.amplitudeAt(tone, 2000),
                    "1 kHz dominates");
            assertTrue(PcmSignal.rms(PcmSignal.between(decoded, 0, videoUs - 2 * AAC_FRAME_US)) < 0.01,
                    "silence before the beep");
            assertEquals(1, worker.stats().audio().pcmActive());
            assertTrue(worker.stats().audio().pcmSamples() > 60 * 1600, "samples from the ring counted: "
                    + worker.stats().audio().pcmSamples());
            for (Record packet : audio.subList(3, audio.size())) {
                long capturedUs = packet.captureEpochUs() - CAPTURE_BASE_US;
                assertEquals(packet.ptsUs() + AAC_FRAME_US, capturedUs, FRAME_US,
                        "an audio packet carries the capture time of its slot");
            }
            pcm.closeAndDelete();
            frames.closeAndDelete();
        }
    }

    @Test
    void aCompositionRestartOnBothRingsKeepsAudioContinuousAndInSync() throws Exception {
        int beepFrame = 30;
        worker = startWorker();
        try (PacketCollector packets = PacketCollector.open(packetRing(), Duration.ofSeconds(5))) {
            try (FrameRingWriter pcm = FrameRingWriter.create(pcmRing(), PCM, 8);
                 FrameRingWriter frames = FrameRingWriter.create(frameRing(), QVGA, 8)) {
                awaitStarted();
                produce(frames, pcm, new PcmSignal(FPS, 1000, AMPLITUDE, Long.MAX_VALUE), 0, 30, CAPTURE_BASE_US);
                assertTrue(packets.awaitRecords(r -> r.stream().anyMatch(p -> p.videoPacket()
                        && p.captureEpochUs() == CAPTURE_BASE_US + 29 * FRAME_US), Duration.ofSeconds(10)));
            }
            // the composition comes back on the same files (PCM ring first), counting pts from zero again
            PcmSignal beep = new PcmSignal(FPS, 1000, AMPLITUDE, beep(beepFrame));
            try (FrameRingWriter pcm = FrameRingWriter.create(pcmRing(), PCM, 8);
                 FrameRingWriter frames = FrameRingWriter.create(frameRing(), QVGA, 8)) {
                produce(frames, pcm, beep, 0, 60, SECOND_CAPTURE_BASE_US);
                long lastCapture = SECOND_CAPTURE_BASE_US + 59 * FRAME_US;
                assertTrue(packets.awaitRecords(r -> r.stream().anyMatch(p -> p.videoPacket()
                        && p.captureEpochUs() == lastCapture), Duration.ofSeconds(10)), "the new frames come out");
                long lastUs = videoPtsOfCapture(packets.records(), lastCapture);
                assertTrue(packets.awaitRecords(r -> audioEndUs(r) >= lastUs - 3 * AAC_FRAME_US,
                        Duration.ofSeconds(10)), "audio follows");
                pcm.closeAndDelete();
                frames.closeAndDelete();
            }
            List<Record> records = packets.records();
            assertContiguous(records.stream().filter(Record::audioPacket).toList());
            long videoUs = videoPtsOfCapture(records, SECOND_CAPTURE_BASE_US + beepFrame * FRAME_US);
            assertTrue(videoUs >= 30 * FRAME_US, "the video timeline went on across the restart: " + videoUs);
            long onsetUs = PcmSignal.firstLouderThan(decode(records), AMPLITUDE * 0.3);
            LOG.infof("A/V offset of the beep after a restart: %d us", onsetUs - videoUs);
            assertEquals(videoUs, onsetUs, AAC_FRAME_US, "after the restart the beep starts at its frame's pts");
        }
    }

    /** The beep of frame {@code index} starts at that frame's first sample. */
    private static long beep(int index) {
        return new PcmSignal(FPS, 0, 0, 0).firstSample(index);
    }

    private static long videoPtsOfCapture(List<Record> records, long captureUs) {
        return records.stream().filter(r -> r.videoPacket() && r.captureEpochUs() == captureUs).findFirst()
                .orElseThrow(() -> new AssertionError("no video packet captured at " + captureUs)).ptsUs();
    }

    private static List<AacTestDecoder.Block> decode(List<Record> records) {
        Record config = records.stream().filter(r -> r.audio() && r.codecConfig()).findFirst().orElseThrow();
        byte[] extradata = CodecConfig.decode(MemorySegment.ofArray(config.payload())).extradata();
        try (AacTestDecoder decoder = new AacTestDecoder(extradata)) {
            for (Record packet : records) {
                if (packet.audioPacket()) {
                    decoder.decode(packet.payload(), packet.ptsUs());
                }
            }
            decoder.flush();
            return List.copyOf(decoder.blocks());
        }
    }

    private static long audioEndUs(List<Record> records) {
        return records.stream().filter(Record::audioPacket).mapToLong(r -> r.ptsUs() + r.durationUs())
                .max().orElse(Long.MIN_VALUE);
    }

    private static void assertContiguous(List<Record> audio) {
        assertTrue(audio.size() > 10, "audio packets " + audio.size());
        for (int i = 1; i < audio.size(); i++) {
            Record previous = audio.get(i - 1);
            assertEquals(previous.ptsUs() + previous.durationUs(), audio.get(i).ptsUs(), 1,
                    "audio packet " + i + " follows the previous one");
        }
    }

    /** Frames {@code from..from+count}, each followed by its PCM slot, paced at about 3x real time. */
    private static void produce(FrameRingWriter frames, FrameRingWriter pcm, PcmSignal signal, int from, int count,
                                long captureBaseUs) throws InterruptedException {
        for (int i = from; i < from + count; i++) {
            TestPatterns.fillI420(frames.claim(), QVGA.width(), QVGA.height(), i);
            long ptsUs = i * FRAME_US;
            frames.publish(ptsUs, captureBaseUs + ptsUs);
            signal.publish(pcm, i, ptsUs, captureBaseUs + ptsUs);
            Thread.sleep(10);
        }
    }

    private void awaitStarted() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (listener.events().stream().noneMatch(e -> e.startsWith("started")) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(listener.events().stream().anyMatch(e -> e.startsWith("started")), listener.events().toString());
    }

    private StreamWorker startWorker() {
        WorkerSettings settings = new WorkerSettings(STREAM, 1, 0,
                new EncoderSpec("h264", "veryfast", "zerolatency", 400, 1), shm.path(), 1 << 20,
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMillis(100), HardwareMode.AUTO, false, 1,
                new AudioEncoderSettings(48_000, 2, 128_000));
        return new StreamWorker(settings, listener, nanos -> { }).start();
    }

    private Path frameRing() {
        return RingFiles.frameRing(shm.path(), STREAM);
    }

    private Path pcmRing() {
        return RingFiles.pcmRing(shm.path(), STREAM);
    }

    private Path packetRing() {
        return RingFiles.packetRing(shm.path(), STREAM);
    }
}
