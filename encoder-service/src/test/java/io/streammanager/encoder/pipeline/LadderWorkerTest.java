package io.streammanager.encoder.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.control.spec.RenditionSpec;
import io.streammanager.bus.shm.CodecConfig;
import io.streammanager.bus.shm.FrameGeometry;
import io.streammanager.bus.shm.FrameRingWriter;
import io.streammanager.bus.shm.PixelFormat;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.encoder.codec.AudioEncoderSettings;
import io.streammanager.encoder.codec.H264TestDecoder;
import io.streammanager.encoder.codec.HardwareMode;
import io.streammanager.encoder.codec.TestPatterns;
import io.streammanager.encoder.testing.PacketCollector;
import io.streammanager.encoder.testing.PacketCollector.Record;
import io.streammanager.encoder.testing.PacketDecoding;

/** A stream worker encoding a ladder: one real frame ring in, every rendition in one real packet ring. */
@Timeout(90)
class LadderWorkerTest extends WorkerTestBase {

    private static final String STREAM = "ladder-test";
    private static final int FPS = 30;
    private static final long FRAME_US = 1_000_000L / FPS;
    private static final long CAPTURE_BASE_US = 1_700_000_000_000_000L;
    private static final FrameGeometry CANVAS = new FrameGeometry(640, 360, PixelFormat.I420, FPS);
    /** Enough slots that a loaded machine's encoder is not lapped while it reads one (a torn frame). */
    private static final int SLOTS = 32;
    private static final AudioEncoderSettings AUDIO = new AudioEncoderSettings(48_000, 2, 128_000);


    @Test
    void everyRenditionComesOutAtItsSizeWithIdrsOnTheSamePts() throws Exception {
        List<RenditionSpec> ladder = List.of(new RenditionSpec("hd", 640, 360, 800),
                new RenditionSpec("sd", 320, 180, 300), new RenditionSpec("tiny", 160, 90, 150, 15, null, null));
        int frames = 310; // ten GOPs and more
        List<Double> luma = new ArrayList<>();
        worker = start(ladder);
        try (PacketCollector packets = PacketCollector.open(packetRing(), Duration.ofSeconds(5));
             FrameRingWriter producer = FrameRingWriter.create(frameRing(), CANVAS, SLOTS)) {
            awaitStarted();
            produce(producer, 0, frames, luma);
            long lastPtsUs = (frames - 1) * FRAME_US;
            assertTrue(packets.awaitRecords(r -> r.stream().anyMatch(p -> p.videoPacket() && p.rendition() == 0
                    && p.ptsUs() == lastPtsUs), Duration.ofSeconds(20)), "the last frame comes out");
            List<Record> records = packets.records();

            Map<Integer, List<Long>> keyframes = new TreeMap<>();
            for (Record record : records) {
                if (record.videoPacket() && record.keyframe()) {
                    keyframes.computeIfAbsent(record.rendition(), r -> new ArrayList<>()).add(record.ptsUs());
                }
            }
            assertEquals(3, keyframes.size(), "keyframes in every rendition: " + keyframes);
            assertTrue(keyframes.get(0).size() >= 10, "a keyframe a second: " + keyframes);
            int tinyLastKeyframes = keyframes.get(2).size();
            assertEquals(keyframes.get(0), keyframes.get(1), "sd's IDRs on hd's pts");
            // the 15 fps rendition may not have reached the newest keyframe yet when the last hd frame came out
            assertEquals(keyframes.get(0).subList(0, tinyLastKeyframes), keyframes.get(2), "tiny's IDRs on hd's pts");

            int[][] sizes = {{640, 360}, {320, 180}, {160, 90}};
            for (int rendition = 0; rendition < 3; rendition++) {
                int r = rendition;
                CodecConfig config = records.stream().filter(p -> p.video() && p.codecConfig() && p.rendition() == r)
                        .map(p -> CodecConfig.decode(MemorySegment.ofArray(p.payload()))).findFirst().orElseThrow();
                assertEquals(sizes[r][0], config.width(), "config width of rendition " + r);
                assertEquals(sizes[r][1], config.height(), "config height of rendition " + r);
                assertEquals(ladder.get(r).bitrateKbps() * 1000, config.bitrateBps());
                assertTrue(records.stream().anyMatch(p -> p.audio() && p.codecConfig() && p.rendition() == r),
                        "the audio config is repeated before rendition " + r + "'s keyframes");
                List<H264TestDecoder.Picture> pictures = PacketDecoding.decode(records, r, new H264TestDecoder());
                assertFalse(pictures.isEmpty(), "rendition " + r + " decodes");
                for (H264TestDecoder.Picture picture : pictures) {
                    assertEquals(sizes[r][0], picture.width());
                    assertEquals(sizes[r][1], picture.height());
                }
                // a scaled picture keeps its source's mean brightness (but for a frame the producer rewrote under
                // the encoder on a loaded machine: counted as torn, encoded anyway)
                assertLumaFollowsSource(pictures, luma, "rendition " + r);
            }
            for (int r = 0; r < 2; r++) {
                int rendition = r;
                List<Record> video = records.stream().filter(p -> p.videoPacket() && p.rendition() == rendition)
                        .toList();
                double seconds = video.size() * (double) FRAME_US / 1e6;
                double bps = video.stream().mapToLong(p -> p.payload().length).sum() * 8 / seconds;
                // capped and filled: platforms get the rate they were promised, not a fraction of it
                assertEquals(ladder.get(r).bitrateKbps() * 1000.0, bps, ladder.get(r).bitrateKbps() * 150.0,
                        "bitrate of rendition " + r + " over " + seconds + " s");
            }
            long hdPackets = records.stream().filter(p -> p.videoPacket() && p.rendition() == 0).count();
            long tinyPackets = records.stream().filter(p -> p.videoPacket() && p.rendition() == 2).count();
            assertEquals(hdPackets / 2.0, tinyPackets, 2, "the 15 fps rendition takes every other frame");
            assertTrue(records.stream().filter(Record::audioPacket).allMatch(p -> p.rendition() == 0),
                    "audio rides with the main rendition");
            List<RenditionStats> stats = worker.stats().renditions();
            assertEquals(List.of("hd", "sd", "tiny"), stats.stream().map(RenditionStats::id).toList());
            assertEquals(300_000, stats.get(1).maxrateBps(), "capped at the target");
            assertEquals(300_000, stats.get(1).bufsizeBps(), "a one-second buffer");
            producer.closeAndDelete();
        }
    }

    @Test
    void vp9Vp8AndHevcRenditionsDecodeCleanly() throws Exception {
        List<RenditionSpec> ladder = List.of(new RenditionSpec("vp9", 640, 360, 800, null, "vp9", null),
                new RenditionSpec("vp8", 320, 180, 300, null, "vp8", null),
                new RenditionSpec("hevc", 320, 180, 300, null, "hevc", null));
        List<Double> luma = new ArrayList<>();
        worker = start(ladder);
        try (PacketCollector packets = PacketCollector.open(packetRing(), Duration.ofSeconds(5));
             FrameRingWriter producer = FrameRingWriter.create(frameRing(), CANVAS, SLOTS)) {
            awaitStarted();
            produce(producer, 0, 45, luma);
            long lastPtsUs = 44 * FRAME_US;
            assertTrue(packets.awaitRecords(r -> r.stream().filter(p -> p.videoPacket() && p.ptsUs() == lastPtsUs)
                    .count() == 3, Duration.ofSeconds(20)), "the last frame comes out of all three");
            List<Record> records = packets.records();
            String[] codecs = {"vp9", "vp8", "hevc"};
            int[] ids = {avcodec.AV_CODEC_ID_VP9, avcodec.AV_CODEC_ID_VP8, avcodec.AV_CODEC_ID_HEVC};
            for (int r = 0; r < 3; r++) {
                int rendition = r;
                CodecConfig config = records.stream()
                        .filter(p -> p.video() && p.codecConfig() && p.rendition() == rendition)
                        .map(p -> CodecConfig.decode(MemorySegment.ofArray(p.payload()))).findFirst().orElseThrow();
                assertEquals(codecs[r], config.codec());
                long encoded = records.stream().filter(p -> p.videoPacket() && p.rendition() == rendition).count();
                List<H264TestDecoder.Picture> pictures = PacketDecoding.decode(records, r,
                        new H264TestDecoder(ids[r], codecs[r]));
                assertEquals(encoded, pictures.size(), "every " + codecs[r] + " packet decodes to a picture");
                assertLumaFollowsSource(pictures, luma, codecs[r]);
            }
            assertTrue(listener.events().contains("started " + STREAM + " libvpx-vp9"), listener.events().toString());
            producer.closeAndDelete();
        }
    }

    @Test
    void aRenditionAddedLiveStartsWithAnIdrOnTheSamePtsAsTheOthers() throws Exception {
        RenditionSpec hd = new RenditionSpec("hd", 640, 360, 800);
        RenditionSpec sd = new RenditionSpec("sd", 320, 180, 300);
        worker = start(List.of(hd));
        try (PacketCollector packets = PacketCollector.open(packetRing(), Duration.ofSeconds(5));
             FrameRingWriter producer = FrameRingWriter.create(frameRing(), CANVAS, SLOTS)) {
            awaitStarted();
            produce(producer, 0, 10, new ArrayList<>());
            assertTrue(packets.awaitRecords(r -> r.stream().anyMatch(p -> p.videoPacket() && p.ptsUs() == 9 * FRAME_US),
                    Duration.ofSeconds(10)));
            worker.update(spec(List.of(hd, sd)), 2);
            produce(producer, 10, 30, new ArrayList<>());
            assertTrue(packets.awaitRecords(r -> r.stream().anyMatch(p -> p.videoPacket() && p.rendition() == 1
                    && p.ptsUs() == 39 * FRAME_US), Duration.ofSeconds(10)), "the new rendition runs");
            List<Record> records = packets.records();
            Record firstSd = records.stream().filter(p -> p.videoPacket() && p.rendition() == 1).findFirst()
                    .orElseThrow();
            assertTrue(firstSd.keyframe(), "the new rendition starts with a keyframe");
            assertTrue(firstSd.ptsUs() >= 10 * FRAME_US, "after the update");
            assertTrue(records.stream().anyMatch(p -> p.videoPacket() && p.rendition() == 0 && p.keyframe()
                    && p.ptsUs() == firstSd.ptsUs()), "hd has an IDR on the same pts");
            long videoPts = records.stream().filter(p -> p.videoPacket() && p.rendition() == 0)
                    .map(Record::ptsUs).collect(Collectors.toSet()).size();
            assertEquals(40, videoPts + worker.stats().droppedFrames(), "hd's timeline goes on without a gap");
            assertEquals(2, worker.specVersion());

            worker.update(spec(List.of(hd, new RenditionSpec("sd", 320, 180, 500))), 3);
            produce(producer, 40, 5, new ArrayList<>());
            assertTrue(packets.awaitRecords(r -> r.stream().anyMatch(p -> p.videoPacket() && p.rendition() == 1
                    && p.ptsUs() == 44 * FRAME_US), Duration.ofSeconds(10)));
            assertEquals(500_000, worker.stats().renditions().get(1).targetBitrateBps(), "retargeted in place");
            assertTrue(packets.records().stream().noneMatch(p -> p.videoPacket() && p.keyframe()
                    && p.ptsUs() > 40 * FRAME_US && p.ptsUs() < 60 * FRAME_US), "no extra keyframe for a bitrate");
            producer.closeAndDelete();
        }
    }

    @Test
    void aStreamsHwaccelOverridesTheServiceDefault() throws Exception {
        // the service says "nvenc, no fallback", which cannot open here; the stream asks for none (software)
        WorkerSettings settings = new WorkerSettings(STREAM, 1, 0,
                spec(List.of(new RenditionSpec("hd", 640, 360, 800))).withHwaccel("none"), shm.path(), 1 << 22,
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMillis(100), HardwareMode.NVENC, false, 1,
                AUDIO);
        worker = new StreamWorker(settings, listener, nanos -> { }).start();
        try (PacketCollector packets = PacketCollector.open(packetRing(), Duration.ofSeconds(5));
             FrameRingWriter producer = FrameRingWriter.create(frameRing(), CANVAS, SLOTS)) {
            awaitStarted();
            produce(producer, 0, 5, new ArrayList<>());
            assertTrue(packets.awaitRecords(r -> PacketCollector.videoPackets(r) >= 5, Duration.ofSeconds(10)));
            assertTrue(listener.events().contains("started " + STREAM + " libx264"), listener.events().toString());
            assertEquals(List.of(), worker.stats().renditions().getFirst().skipped(), "nothing tried before");
            producer.closeAndDelete();
        }
    }

    private void assertLumaFollowsSource(List<H264TestDecoder.Picture> pictures, List<Double> luma, String what) {
        List<String> off = new ArrayList<>();
        for (H264TestDecoder.Picture picture : pictures) {
            int source = (int) Math.round((double) picture.pts() / FRAME_US);
            if (Math.abs(luma.get(source) - picture.meanLuma()) > 4.0) {
                off.add(source + ": " + picture.meanLuma() + " not " + luma.get(source));
            }
        }
        // a P-frame after a torn one carries its error on: allow a few pictures per torn frame
        assertTrue(off.size() <= 3 * worker.stats().tornFrames(), what + ": pictures unlike their source " + off
                + " with " + worker.stats().tornFrames() + " torn frames");
    }

    private static EncoderSpec spec(List<RenditionSpec> renditions) {
        return new EncoderSpec("h264", "veryfast", "zerolatency", 800, 1, renditions, null, null);
    }

    private StreamWorker start(List<RenditionSpec> renditions) {
        WorkerSettings settings = new WorkerSettings(STREAM, 1, 0, spec(renditions), shm.path(), 1 << 22,
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMillis(100), HardwareMode.AUTO, false, 1,
                AUDIO);
        return new StreamWorker(settings, listener, nanos -> { }).start();
    }

    private void awaitStarted() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (listener.events().stream().noneMatch(e -> e.startsWith("started")) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(listener.events().stream().anyMatch(e -> e.startsWith("started")), listener.events().toString());
    }

    /** Publishes frames {@code from..from+count}, paced at about 3x real time, keeping each one's mean luma. */
    private static void produce(FrameRingWriter writer, int from, int count, List<Double> luma)
            throws InterruptedException {
        for (int i = from; i < from + count; i++) {
            MemorySegment slot = writer.claim();
            luma.add(TestPatterns.fillI420(slot, CANVAS.width(), CANVAS.height(), i));
            writer.publish(i * FRAME_US, CAPTURE_BASE_US + i * FRAME_US);
            Thread.sleep(10);
        }
    }

    private java.nio.file.Path frameRing() {
        return RingFiles.frameRing(shm.path(), STREAM);
    }

    private java.nio.file.Path packetRing() {
        return RingFiles.packetRing(shm.path(), STREAM);
    }
}
