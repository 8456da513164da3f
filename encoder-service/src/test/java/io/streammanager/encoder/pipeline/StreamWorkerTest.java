package io.streammanager.encoder.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.shm.CodecConfig;
import io.streammanager.bus.shm.FrameGeometry;
import io.streammanager.bus.shm.FrameRingWriter;
import io.streammanager.bus.shm.PacketRingReader;
import io.streammanager.bus.shm.PixelFormat;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.bus.shm.Track;
import io.streammanager.encoder.codec.AacTestDecoder;
import io.streammanager.encoder.codec.AudioEncoderSettings;
import io.streammanager.encoder.codec.H264TestDecoder;
import io.streammanager.encoder.codec.HardwareMode;
import io.streammanager.encoder.codec.TestPatterns;
import io.streammanager.encoder.testing.PacketCollector;
import io.streammanager.encoder.testing.PacketCollector.Record;
import io.streammanager.encoder.testing.PacketDecoding;

/** One stream worker between a real frame ring (test producer) and a real packet ring (test reader). */
@Timeout(60)
class StreamWorkerTest extends WorkerTestBase {

    private static final String STREAM = "worker-test";
    private static final int FPS = 30;
    private static final long FRAME_US = 1_000_000L / FPS;
    private static final long CAPTURE_BASE_US = 1_700_000_000_000_000L;
    private static final long SECOND_CAPTURE_BASE_US = CAPTURE_BASE_US + 3_600_000_000L;
    private static final FrameGeometry QVGA = new FrameGeometry(320, 240, PixelFormat.I420, FPS);
    private static final AudioEncoderSettings AUDIO = new AudioEncoderSettings(48_000, 2, 128_000);
    /** One AAC frame: 1024 samples at 48 kHz. */
    private static final long AAC_FRAME_US = 1024L * 1_000_000 / 48_000;


    @Test
    void framesFromTheRingComeOutAsDecodableH264WithConfigBeforeEveryKeyframe() throws Exception {
        int frames = 75;
        List<Double> sourceLuma = new ArrayList<>();
        worker = startWorker(Duration.ofSeconds(5));
        try (PacketCollector packets = PacketCollector.open(packetRing(), Duration.ofSeconds(5));
             FrameRingWriter producer = FrameRingWriter.create(frameRing(), QVGA, 8)) {
            awaitStarted();
            produce(producer, 0, frames, 0, sourceLuma);
            long lastPtsUs = (frames - 1) * FRAME_US;
            assertTrue(packets.awaitRecords(r -> r.stream().anyMatch(p -> p.ptsUs() == lastPtsUs && p.videoPacket()),
                    Duration.ofSeconds(10)), "the last frame comes out");
            List<Record> records = PacketCollector.videoTrack(packets.records());
            long encoded = PacketCollector.videoPackets(records);
            // the worker publishes its lap count on the loop turn after the frame it jumped to: poll, bounded
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (encoded + lost() != frames && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(frames, encoded + lost(), "every frame is encoded or counted as dropped (torn frames are"
                    + " encoded, so not dropped: " + worker.stats().tornFrames() + " torn)");

            assertTrue(records.get(0).codecConfig(), "first record is the codec config");
            assertTrue(records.get(1).keyframe(), "then a keyframe");
            CodecConfig config = CodecConfig.decode(MemorySegment.ofArray(records.get(0).payload()));
            assertEquals("h264", config.codec());
            assertEquals(320, config.width());
            assertEquals(240, config.height());
            assertEquals(FPS, config.fps());
            assertEquals(400_000, config.bitrateBps());
            assertTrue(config.extradata().length > 8, "SPS/PPS in the config");

            List<Record> video = records.stream().filter(Record::videoPacket).toList();
            for (int i = 0; i < records.size(); i++) {
                if (records.get(i).keyframe()) {
                    assertTrue(i > 0 && records.get(i - 1).codecConfig(), "config right before keyframe " + i);
                }
            }
            for (int i = 0; i < video.size(); i++) {
                Record packet = video.get(i);
                assertEquals(i % FPS == 0, packet.keyframe(), "keyframe every " + FPS + " frames, packet " + i);
                if (i > 0) {
                    assertTrue(packet.dtsUs() > video.get(i - 1).dtsUs(), "dts increases at packet " + i);
                }
                int sourceIndex = (int) Math.round((double) packet.ptsUs() / FRAME_US);
                assertEquals(CAPTURE_BASE_US + sourceIndex * FRAME_US, packet.captureEpochUs(),
                        "capture time of source frame " + sourceIndex + " rides along");
                assertEquals(FRAME_US, packet.durationUs());
            }
            List<H264TestDecoder.Picture> pictures = PacketDecoding.decode(records);
            assertEquals(video.size(), pictures.size(), "every packet decodes to a picture");
            for (H264TestDecoder.Picture picture : pictures) {
                int sourceIndex = (int) Math.round((double) picture.pts() / FRAME_US);
                assertEquals(320, picture.width());
                assertEquals(240, picture.height());
                assertEquals(sourceLuma.get(sourceIndex), picture.meanLuma(), 3.0, "luma of frame " + sourceIndex);
            }
            assertEquals(StreamStats.State.ENCODING, worker.stats().state());
            assertEquals(video.size(), worker.stats().framesEncoded());
            producer.closeAndDelete();
        }
        assertTrue(listener.events().contains("started " + STREAM + " libx264"), listener.events().toString());
    }

    @Test
    void aRestartedCompositionGivesAKeyframeAndContinuousPts() throws Exception {
        worker = startWorker(Duration.ofSeconds(5));
        try (PacketCollector packets = PacketCollector.open(packetRing(), Duration.ofSeconds(5))) {
            try (FrameRingWriter first = FrameRingWriter.create(frameRing(), QVGA, 8)) {
                awaitStarted();
                produce(first, 0, 20, 0, new ArrayList<>());
                assertTrue(packets.awaitRecords(r -> r.stream().anyMatch(p -> p.videoPacket()
                        && p.captureEpochUs() == CAPTURE_BASE_US + 19 * FRAME_US), Duration.ofSeconds(10)));
            }
            // the composition comes back on the same file, counting pts from zero again
            try (FrameRingWriter second = FrameRingWriter.create(frameRing(), QVGA, 8)) {
                produce(second, 0, 20, 100, new ArrayList<>(), SECOND_CAPTURE_BASE_US);
                assertTrue(packets.awaitRecords(r -> r.stream().anyMatch(p -> p.videoPacket()
                        && p.captureEpochUs() == SECOND_CAPTURE_BASE_US + 19 * FRAME_US), Duration.ofSeconds(10)),
                        "frames of the new generation arrive");
                second.closeAndDelete();
            }
            List<Record> video = packets.records().stream().filter(Record::videoPacket).toList();
            int firstOfNewGeneration = 0;
            while (video.get(firstOfNewGeneration).captureEpochUs() < SECOND_CAPTURE_BASE_US) {
                firstOfNewGeneration++;
            }
            for (int i = 1; i < video.size(); i++) {
                assertTrue(video.get(i).ptsUs() > video.get(i - 1).ptsUs(), "pts increases at packet " + i);
            }
            assertTrue(video.get(firstOfNewGeneration).keyframe(), "the first packet after the restart is a keyframe");
            assertEquals(video.get(firstOfNewGeneration - 1).ptsUs() + FRAME_US, video.get(firstOfNewGeneration).ptsUs(),
                    "no jump in pts across the restart");
            assertEquals(video.size(), PacketDecoding.decode(packets.records()).size());

            long videoEndUs = video.getLast().ptsUs() + FRAME_US;
            assertTrue(packets.awaitRecords(r -> audioEndUs(r) >= videoEndUs, Duration.ofSeconds(5)),
                    "audio catches up with the last frame");
            List<Record> audio = packets.records().stream().filter(Record::audioPacket).toList();
            assertTrue(audio.stream().anyMatch(a -> a.captureEpochUs() >= SECOND_CAPTURE_BASE_US),
                    "audio goes on after the restart");
            assertContiguous(audio);
            assertTrue(audio.getLast().ptsUs() + audio.getLast().durationUs() <= videoEndUs + AAC_FRAME_US,
                    "audio ends within one AAC frame of the video");
        }
    }

    @Test
    void aNewBitrateIsTakenInPlaceWithoutAnExtraKeyframe() throws Exception {
        worker = startWorker(Duration.ofSeconds(5));
        try (PacketCollector packets = PacketCollector.open(packetRing(), Duration.ofSeconds(5));
             FrameRingWriter producer = FrameRingWriter.create(frameRing(), QVGA, 8)) {
            updateBetweenFrames(producer, packets, new EncoderSpec("h264", "veryfast", "zerolatency", 1500, 1), 60);
            List<Record> video = packets.records().stream().filter(Record::videoPacket).toList();
            for (int i = 0; i < video.size(); i++) {
                int index = (int) Math.round((double) video.get(i).ptsUs() / FRAME_US);
                assertEquals(index % FPS == 0, video.get(i).keyframe(), "keyframes stay on schedule, frame " + index);
            }
            long configs = packets.records().stream().filter(r -> r.codecConfig() && r.track() == Track.VIDEO).count();
            assertEquals(video.stream().filter(Record::keyframe).count(), configs,
                    "one video config per keyframe: the encoder was not reopened");
            assertEquals(video.size(), PacketDecoding.decode(packets.records()).size());
            assertEquals(1500, worker.encoderSpec().bitrateKbps());
            assertEquals(2, worker.specVersion());
        }
    }

    @Test
    void aNewPresetAndKeyframeIntervalReopenTheEncoderAtAKeyframeWithContinuousPts() throws Exception {
        worker = startWorker(Duration.ofSeconds(5));
        try (PacketCollector packets = PacketCollector.open(packetRing(), Duration.ofSeconds(5));
             FrameRingWriter producer = FrameRingWriter.create(frameRing(), QVGA, 8)) {
            updateBetweenFrames(producer, packets, new EncoderSpec("h264", "ultrafast", "zerolatency", 400, 2), 90);
            List<Record> video = packets.records().stream().filter(Record::videoPacket).toList();
            int firstAfter = -1;
            for (int i = 1; i < video.size(); i++) {
                assertEquals(video.get(i - 1).ptsUs() + FRAME_US, video.get(i).ptsUs(), "no gap in pts at packet " + i);
                if (firstAfter < 0 && video.get(i).ptsUs() >= 10 * FRAME_US && video.get(i).keyframe()) {
                    firstAfter = i;
                }
            }
            assertTrue(firstAfter > 0, "a keyframe after the update");
            long reopenedAtUs = video.get(firstAfter).ptsUs();
            assertTrue(reopenedAtUs < 30 * FRAME_US, "the reopen keyframe comes with the next frames, not the old"
                    + " schedule: at " + reopenedAtUs / FRAME_US);
            for (Record packet : video) {
                if (packet.ptsUs() > reopenedAtUs) {
                    long framesSince = (packet.ptsUs() - reopenedAtUs) / FRAME_US;
                    assertEquals(framesSince % (2 * FPS) == 0, packet.keyframe(),
                            "keyframes every 2 s after the reopen, frame " + framesSince + " after it");
                }
            }
            assertEquals(video.size(), PacketDecoding.decode(packets.records()).size(), "every packet decodes");
            assertEquals("ultrafast", worker.encoderSpec().preset());
        }
    }

    @Test
    void aSilentAacTrackWithItsConfigBeforeEveryKeyframeCoversTheVideoTimeline() throws Exception {
        int frames = 45;
        worker = startWorker(Duration.ofSeconds(5));
        try (PacketCollector packets = PacketCollector.open(packetRing(), Duration.ofSeconds(5));
             FrameRingWriter producer = FrameRingWriter.create(frameRing(), QVGA, 8)) {
            awaitStarted();
            produce(producer, 0, frames, 0, new ArrayList<>());
            long lastPtsUs = (frames - 1) * FRAME_US;
            assertTrue(packets.awaitRecords(r -> audioEndUs(r) >= lastPtsUs + FRAME_US, Duration.ofSeconds(10)),
                    "audio reaches the end of the last frame");
            producer.closeAndDelete();
            List<Record> records = packets.records();

            // before every video keyframe: the audio config, then the video config
            int keyframes = 0;
            for (int i = 0; i < records.size(); i++) {
                if (records.get(i).videoPacket() && records.get(i).keyframe()) {
                    keyframes++;
                    assertTrue(i >= 2, "configs before keyframe at record " + i);
                    Record audioConfig = records.get(i - 2);
                    Record videoConfig = records.get(i - 1);
                    assertTrue(audioConfig.audio() && audioConfig.codecConfig(), "audio config 2 before record " + i);
                    assertTrue(videoConfig.video() && videoConfig.codecConfig(), "video config right before " + i);
                    assertEquals(0, audioConfig.rendition());
                }
            }
            assertTrue(keyframes >= 2, "keyframes " + keyframes);
            assertTrue(records.get(0).audio() && records.get(0).codecConfig(), "a reader starts at the audio config");
            CodecConfig config = CodecConfig.decode(MemorySegment.ofArray(records.get(0).payload()));
            assertEquals("aac", config.codec());
            assertEquals(48_000, config.sampleRate());
            assertEquals(2, config.channels());
            assertEquals(128_000, config.bitrateBps());
            // AudioSpecificConfig: AAC-LC (2), 48 kHz (index 3), 2 channels (FFmpeg adds 3 bytes of SBR signalling)
            assertTrue(config.extradata().length >= 2, "AudioSpecificConfig length " + config.extradata().length);
            assertEquals(0x11, config.extradata()[0] & 0xff);
            assertEquals(0x90, config.extradata()[1] & 0xff);

            List<Record> video = records.stream().filter(Record::videoPacket).toList();
            List<Record> audio = records.stream().filter(Record::audioPacket).toList();
            assertContiguous(audio);
            long audioStartUs = audio.getFirst().ptsUs();
            long audioEndUs = audio.getLast().ptsUs() + audio.getLast().durationUs();
            long videoStartUs = video.getFirst().ptsUs();
            long videoEndUs = video.getLast().ptsUs() + FRAME_US;
            assertTrue(audioStartUs <= videoStartUs && audioStartUs >= videoStartUs - AAC_FRAME_US,
                    "audio starts within one AAC frame before the video: " + audioStartUs + " vs " + videoStartUs);
            assertTrue(audioEndUs >= videoEndUs && audioEndUs <= videoEndUs + AAC_FRAME_US,
                    "audio ends within one AAC frame after the video: " + audioEndUs + " vs " + videoEndUs);
            for (Record packet : audio) {
                assertEquals(0, packet.rendition());
                long frameOffsetUs = packet.captureEpochUs() - CAPTURE_BASE_US;
                assertEquals(0, frameOffsetUs % FRAME_US, "capture time of a video frame rides along");
                assertTrue(Math.abs(packet.ptsUs() - frameOffsetUs) <= FRAME_US + 2 * AAC_FRAME_US,
                        "the frame that drove audio " + packet.ptsUs() + " is near it: " + frameOffsetUs);
            }

            try (AacTestDecoder decoder = new AacTestDecoder(config.extradata())) {
                for (Record packet : audio) {
                    decoder.decode(packet.payload(), packet.ptsUs());
                }
                decoder.flush();
                assertEquals(audio.size(), decoder.frames(), "every audio packet decodes");
                assertEquals(audio.size() * 1024L, decoder.samples());
                assertEquals(48_000, decoder.sampleRate());
                assertEquals(2, decoder.channels());
                assertTrue(decoder.peak() < 1e-4, "silence, peak " + decoder.peak());
            }
        }
    }

    @Test
    void withAudioDisabledTheRingCarriesVideoOnly() throws Exception {
        WorkerSettings settings = new WorkerSettings(STREAM, 1, 0,
                new EncoderSpec("h264", "veryfast", "zerolatency", 400, 1), shm.path(), 1 << 20,
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMillis(100), HardwareMode.AUTO, false, 1, null);
        worker = new StreamWorker(settings, listener, nanos -> { }).start();
        try (PacketCollector packets = PacketCollector.open(packetRing(), Duration.ofSeconds(5));
             FrameRingWriter producer = FrameRingWriter.create(frameRing(), QVGA, 8)) {
            awaitStarted();
            produce(producer, 0, 10, 0, new ArrayList<>());
            assertTrue(packets.awaitRecords(r -> PacketCollector.videoPackets(r) >= 10, Duration.ofSeconds(10)));
            assertTrue(packets.records().stream().noneMatch(Record::audio), "no audio record");
            producer.closeAndDelete();
        }
    }

    /** End of the audio track so far, or Long.MIN_VALUE before its first packet. */
    private static long audioEndUs(List<Record> records) {
        return records.stream().filter(Record::audioPacket).mapToLong(r -> r.ptsUs() + r.durationUs())
                .max().orElse(Long.MIN_VALUE);
    }

    /** Each audio packet starts where the previous one ended (to the microsecond of rounding): no gap, no overlap. */
    private static void assertContiguous(List<Record> audio) {
        assertFalse(audio.isEmpty(), "audio packets");
        for (int i = 0; i < audio.size(); i++) {
            Record packet = audio.get(i);
            assertEquals(packet.ptsUs(), packet.dtsUs(), "dts = pts for AAC, packet " + i);
            assertEquals(AAC_FRAME_US, packet.durationUs(), 1, "duration of audio packet " + i);
            if (i > 0) {
                Record previous = audio.get(i - 1);
                assertTrue(packet.ptsUs() > previous.ptsUs(), "audio pts increases at packet " + i);
                assertEquals(previous.ptsUs() + previous.durationUs(), packet.ptsUs(), 1,
                        "audio packet " + i + " follows the previous one");
            }
        }
    }

    @Test
    void aRestartWithANewSizeReopensTheEncoderAndAnnouncesTheNewSize() throws Exception {
        FrameGeometry smaller = new FrameGeometry(160, 120, PixelFormat.I420, FPS);
        worker = startWorker(Duration.ofSeconds(5));
        try (PacketCollector packets = PacketCollector.open(packetRing(), Duration.ofSeconds(5))) {
            try (FrameRingWriter first = FrameRingWriter.create(frameRing(), QVGA, 8)) {
                awaitStarted();
                produce(first, 0, 10, 0, new ArrayList<>());
                assertTrue(packets.awaitRecords(r -> PacketCollector.videoPackets(r) >= 10, Duration.ofSeconds(10)));
                first.closeAndDelete();
            }
            try (FrameRingWriter second = FrameRingWriter.create(frameRing(), smaller, 8)) {
                produce(second, 0, 10, 0, new ArrayList<>());
                assertTrue(packets.awaitRecords(r -> PacketCollector.videoPackets(r) >= 15, Duration.ofSeconds(10)));
                second.closeAndDelete();
            }
            List<Record> records = packets.records();
            List<CodecConfig> configs = records.stream().filter(r -> r.video() && r.codecConfig())
                    .map(r -> CodecConfig.decode(MemorySegment.ofArray(r.payload()))).toList();
            assertEquals(160, configs.getLast().width(), "the last config announces the new size");
            List<H264TestDecoder.Picture> pictures = PacketDecoding.decode(records);
            assertEquals(160, pictures.getLast().width());
            assertEquals(120, pictures.getLast().height());
        }
    }

    @Test
    void withoutACompositionTheWorkerReportsAnErrorAndStillStopsWithinASecond() throws Exception {
        worker = startWorker(Duration.ofMillis(300));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (listener.events().stream().noneMatch(e -> e.startsWith("error " + STREAM))
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(listener.events().stream().anyMatch(e -> e.startsWith("error " + STREAM + " no frames")),
                listener.events().toString());
        assertTrue(Files.exists(packetRing()), "the packet ring exists while waiting");
        try (PacketRingReader reader = PacketRingReader.open(packetRing(), Duration.ofSeconds(1))) {
            long oldestMs = 0;
            for (int i = 0; i < 25; i++) {
                oldestMs = Math.max(oldestMs, reader.producerHeartbeatAgeMs());
                Thread.sleep(20);
            }
            // beats every 100 ms; a reader calls a producer stale after 2 s, so 500 ms proves it without timing luck
            assertTrue(oldestMs < 500, "packet ring heartbeat keeps beating while waiting, oldest " + oldestMs + " ms");
        }
        long start = System.nanoTime();
        assertTrue(worker.stop("operator", true, Duration.ofSeconds(1)), "stopped within a second");
        assertTrue(System.nanoTime() - start < 1_000_000_000L);
        assertFalse(Files.exists(packetRing()), "packet ring deleted");
        assertFalse(Files.exists(RingFiles.streamDir(shm.path(), STREAM)), "empty stream dir deleted");
        assertTrue(listener.events().contains("stopped " + STREAM + " operator"), listener.events().toString());
        worker = null;
    }

    @Test
    void aProducerThatLapsTheEncoderIsCountedAsDroppedFramesAndTheRestStillDecodes() throws Exception {
        FrameGeometry hd = new FrameGeometry(1280, 720, PixelFormat.I420, FPS);
        int produced = 60;
        worker = startWorker(Duration.ofSeconds(5));
        try (PacketCollector packets = PacketCollector.open(packetRing(), Duration.ofSeconds(5));
             FrameRingWriter producer = FrameRingWriter.create(frameRing(), hd, 2)) {
            awaitStarted();
            for (int i = 0; i < produced; i++) {
                TestPatterns.fillI420(producer.claim(), hd.width(), hd.height(), i);
                producer.publish(i * FRAME_US, CAPTURE_BASE_US + i * FRAME_US);
                Thread.sleep(1);
            }
            // The newest frame is never lapped, so once it is out the worker has nothing left to encode and the
            // count below is final (reading it earlier raced the last frames still being encoded).
            long lastPts = (produced - 1) * FRAME_US;
            assertTrue(packets.awaitRecords(r -> r.stream().anyMatch(p -> p.videoPacket() && p.ptsUs() == lastPts),
                    Duration.ofSeconds(10)), "the newest frame is encoded");
            assertTrue(packets.awaitRecords(r -> PacketCollector.videoPackets(r) == worker.stats().framesEncoded(),
                    Duration.ofSeconds(5)), "every encoded frame reached the packet ring");
            long encoded = worker.stats().framesEncoded();
            assertTrue(worker.stats().droppedFrames() > 0, "a lapped encoder counts dropped frames");
            assertTrue(encoded < produced, "encoded " + encoded + " of " + produced);
            assertEquals(encoded, PacketDecoding.decode(packets.records()).size(), "what was encoded decodes");
            producer.closeAndDelete();
        }
    }

    @Test
    void bgraFramesAreConvertedInPlaceAndDecodeToTheirLuma() throws Exception {
        FrameGeometry bgra = new FrameGeometry(320, 240, PixelFormat.BGRA, FPS);
        List<Double> expected = new ArrayList<>();
        worker = startWorker(Duration.ofSeconds(5));
        try (PacketCollector packets = PacketCollector.open(packetRing(), Duration.ofSeconds(5));
             FrameRingWriter producer = FrameRingWriter.create(frameRing(), bgra, 8)) {
            awaitStarted();
            for (int i = 0; i < 12; i++) {
                expected.add(TestPatterns.fillBgra(producer.claim(), 320, 240, i));
                producer.publish(i * FRAME_US, CAPTURE_BASE_US + i * FRAME_US);
                Thread.sleep(10);
            }
            assertTrue(packets.awaitRecords(r -> r.stream().anyMatch(p -> p.videoPacket()
                    && p.ptsUs() == 11 * FRAME_US), Duration.ofSeconds(10)));
            List<H264TestDecoder.Picture> pictures = PacketDecoding.decode(packets.records());
            assertTrue(pictures.size() >= 10, "decoded " + pictures.size());
            for (H264TestDecoder.Picture picture : pictures) {
                int index = (int) Math.round((double) picture.pts() / FRAME_US);
                assertEquals(expected.get(index), picture.meanLuma(), 4.0, "luma of BGRA frame " + index);
            }
            producer.closeAndDelete();
        }
    }

    @Test
    void anExplicitHardwareEncoderThatCannotOpenFailsTheStreamWithAnErrorEvent() throws Exception {
        assumeFalse(Files.exists(Path.of("/dev/nvidia0")), "an NVIDIA device exists here");
        WorkerSettings settings = new WorkerSettings(STREAM, 1, 0,
                new EncoderSpec("h264", "veryfast", "zerolatency", 400, 1), shm.path(), 1 << 20,
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMillis(100), HardwareMode.NVENC, false, 1, AUDIO);
        worker = new StreamWorker(settings, listener, nanos -> { }).start();
        try (FrameRingWriter producer = FrameRingWriter.create(frameRing(), QVGA, 8)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (worker.alive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertFalse(worker.alive(), "the worker gave up");
            assertEquals(StreamStats.State.FAILED, worker.stats().state());
            assertTrue(listener.events().stream().anyMatch(e -> e.startsWith("error " + STREAM)
                    && e.contains("h264_nvenc") && e.contains("encoder.hardware=nvenc")), listener.events().toString());
            assertFalse(Files.exists(packetRing()), "no packet ring left behind");
            producer.closeAndDelete();
        }
    }

    /** Encodes 10 frames, hands the worker {@code encoder} as spec version 2, then encodes up to {@code total}. */
    private void updateBetweenFrames(FrameRingWriter producer, PacketCollector packets, EncoderSpec encoder, int total)
            throws InterruptedException {
        awaitStarted();
        produce(producer, 0, 10, 0, new ArrayList<>());
        assertTrue(packets.awaitRecords(r -> r.stream().anyMatch(p -> p.videoPacket() && p.ptsUs() == 9 * FRAME_US),
                Duration.ofSeconds(10)));
        worker.update(encoder, 2);
        produce(producer, 10, total - 10, 0, new ArrayList<>());
        long lastUs = (total - 1) * FRAME_US;
        assertTrue(packets.awaitRecords(r -> r.stream().anyMatch(p -> p.videoPacket() && p.ptsUs() == lastUs),
                Duration.ofSeconds(10)), "the last frame comes out");
        producer.closeAndDelete();
    }

    private void awaitStarted() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (listener.events().stream().noneMatch(e -> e.startsWith("started")) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(listener.events().stream().anyMatch(e -> e.startsWith("started")), listener.events().toString());
    }

    private long lost() {
        return worker.stats().droppedFrames();
    }

    private StreamWorker startWorker(Duration openTimeout) {
        WorkerSettings settings = new WorkerSettings(STREAM, 1, 0,
                new EncoderSpec("h264", "veryfast", "zerolatency", 400, 1), shm.path(), 1 << 20, openTimeout,
                Duration.ofSeconds(2), Duration.ofMillis(100), HardwareMode.AUTO, false, 1, AUDIO);
        return new StreamWorker(settings, listener, nanos -> { }).start();
    }

    /** Publishes frames {@code from..from+count} with pts from the given index, paced at about 3x real time. */
    private static void produce(FrameRingWriter writer, int from, int count, int patternOffset, List<Double> luma)
            throws InterruptedException {
        produce(writer, from, count, patternOffset, luma, CAPTURE_BASE_US);
    }

    private static void produce(FrameRingWriter writer, int from, int count, int patternOffset, List<Double> luma,
                                long captureBaseUs) throws InterruptedException {
        FrameGeometry geometry = writer.geometry();
        for (int i = from; i < from + count; i++) {
            MemorySegment slot = writer.claim();
            luma.add(TestPatterns.fillI420(slot, geometry.width(), geometry.height(), i + patternOffset));
            writer.publish(i * FRAME_US, captureBaseUs + i * FRAME_US);
            Thread.sleep(10);
        }
    }

    private Path frameRing() {
        return RingFiles.frameRing(shm.path(), STREAM);
    }

    private Path packetRing() {
        return RingFiles.packetRing(shm.path(), STREAM);
    }
}
