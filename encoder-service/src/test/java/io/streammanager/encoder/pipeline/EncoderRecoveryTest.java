package io.streammanager.encoder.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.control.spec.RenditionSpec;
import io.streammanager.bus.shm.FrameGeometry;
import io.streammanager.bus.shm.FrameRingWriter;
import io.streammanager.bus.shm.PixelFormat;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.encoder.codec.AudioEncoderSettings;
import io.streammanager.encoder.codec.EncoderBackend;
import io.streammanager.encoder.codec.EncoderSkip;
import io.streammanager.ffmpeg.FfmpegException;
import io.streammanager.encoder.codec.HardwareMode;
import io.streammanager.encoder.codec.LadderEncoder;
import io.streammanager.encoder.codec.LadderSettings;
import io.streammanager.encoder.codec.PacketSink;
import io.streammanager.encoder.codec.TestPatterns;
import io.streammanager.encoder.codec.VideoLadder;
import io.streammanager.encoder.testing.PacketCollector;
import io.streammanager.encoder.testing.PacketCollector.Record;

/**
 * An encoder that fails mid-stream, as a lost hardware session would: the real ladder wrapped so its next submit
 * throws FFmpeg's error. The worker reopens it and the stream goes on in the same packet ring.
 */
@Timeout(60)
class EncoderRecoveryTest extends WorkerTestBase {

    private static final String STREAM = "recovery-test";
    private static final int FPS = 30;
    private static final long FRAME_US = 1_000_000L / FPS;
    private static final FrameGeometry CANVAS = new FrameGeometry(320, 240, PixelFormat.I420, FPS);

    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger opens = new AtomicInteger();

    /** The real ladder, failing on submit while {@code failures} is above zero. */
    private final class Failing implements VideoLadder {
        private final LadderEncoder real;

        Failing(LadderEncoder real) {
            this.real = real;
        }

        @Override
        public boolean submit(MemorySegment pixels, long ptsUs, boolean forceKeyframe) {
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new FfmpegException("libx264 send frame: Generic error in an external library (-542398533)",
                        -542398533);
            }
            return real.submit(pixels, ptsUs, forceKeyframe);
        }

        @Override public int drain(int index, PacketSink sink) { return real.drain(index, sink); }
        @Override public int flush(int index, PacketSink sink) { return real.flush(index, sink); }
        @Override public boolean changeBitrate(int index, int bps) { return real.changeBitrate(index, bps); }
        @Override public void forgetSlots() { real.forgetSlots(); }
        @Override public int renditionCount() { return real.renditionCount(); }
        @Override public byte[] extradata(int index) { return real.extradata(index); }
        @Override public EncoderBackend backend(int index) { return real.backend(index); }
        @Override public List<EncoderSkip> skipped(int index) { return real.skipped(index); }
        @Override public LadderSettings settings() { return real.settings(); }
        @Override public void close() { real.close(); }
    }

    @Test
    void aFailedEncoderIsReopenedWithAlignedKeyframesAndTheTimelineGoesOn() throws Exception {
        EncoderSpec spec = new EncoderSpec("h264", "veryfast", "zerolatency", 400, 2,
                List.of(new RenditionSpec("hd", 320, 240, 400), new RenditionSpec("sd", 160, 120, 150)), null, null);
        WorkerSettings settings = new WorkerSettings(STREAM, 1, 0, spec, shm.path(), 1 << 22, Duration.ofSeconds(5),
                Duration.ofSeconds(2), Duration.ofMillis(100), HardwareMode.AUTO, false, 1,
                new AudioEncoderSettings(48_000, 2, 128_000));
        worker = new StreamWorker(settings, listener, nanos -> { }, (ladder, selector) -> {
            opens.incrementAndGet();
            return new Failing(LadderEncoder.open(ladder, selector));
        }).start();
        try (PacketCollector packets = PacketCollector.open(RingFiles.packetRing(shm.path(), STREAM),
                Duration.ofSeconds(5));
             FrameRingWriter producer = FrameRingWriter.create(RingFiles.frameRing(shm.path(), STREAM), CANVAS, 32)) {
            awaitStarted();
            produce(producer, 0, 20);
            assertTrue(packets.awaitRecords(r -> r.stream().anyMatch(p -> p.videoPacket() && p.ptsUs() == 19 * FRAME_US),
                    Duration.ofSeconds(10)));
            failures.set(1);
            // frames keep coming at real time while the encoder waits out its first backoff (100 ms)
            produce(producer, 20, 40);
            long lastUs = 59 * FRAME_US;
            assertTrue(packets.awaitRecords(r -> r.stream().filter(p -> p.videoPacket() && p.ptsUs() == lastUs).count()
                    == 2, Duration.ofSeconds(10)), "both renditions encode again");
            List<Record> records = packets.records();

            assertEquals(2, opens.get(), "opened once more after the failure");
            assertTrue(listener.events().stream().anyMatch(e -> e.startsWith("encoder-error " + STREAM + " crash")),
                    listener.events().toString());
            for (int r = 0; r < 2; r++) {
                int rendition = r;
                List<Record> video = records.stream().filter(p -> p.videoPacket() && p.rendition() == rendition)
                        .toList();
                for (int i = 1; i < video.size(); i++) {
                    assertTrue(video.get(i).ptsUs() > video.get(i - 1).ptsUs(), "pts go on in rendition " + r);
                }
                Record resumed = video.stream().filter(p -> p.ptsUs() > 20 * FRAME_US && p.keyframe()).findFirst()
                        .orElseThrow();
                assertTrue(resumed.ptsUs() <= 30 * FRAME_US, "resumed within the backoff: " + resumed.ptsUs());
                assertTrue(records.stream().anyMatch(p -> p.videoPacket() && p.rendition() == 1 - rendition
                        && p.keyframe() && p.ptsUs() == resumed.ptsUs()), "the other rendition's IDR on the same pts");
            }
            List<Record> audio = records.stream().filter(Record::audioPacket).toList();
            for (int i = 1; i < audio.size(); i++) {
                assertEquals(audio.get(i - 1).ptsUs() + audio.get(i - 1).durationUs(), audio.get(i).ptsUs(), 1,
                        "the audio track has no hole across the reopen");
            }
            assertEquals(StreamStats.State.ENCODING, worker.stats().state());
            producer.closeAndDelete();
        }
    }

    private void awaitStarted() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (listener.events().stream().noneMatch(e -> e.startsWith("started")) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(listener.events().stream().anyMatch(e -> e.startsWith("started")), listener.events().toString());
    }

    /** Frames at real time, so a backoff measured in time is a number of frames. */
    private static void produce(FrameRingWriter writer, int from, int count) throws InterruptedException {
        for (int i = from; i < from + count; i++) {
            TestPatterns.fillI420(writer.claim(), CANVAS.width(), CANVAS.height(), i);
            writer.publish(i * FRAME_US, 1_700_000_000_000_000L + i * FRAME_US);
            Thread.sleep(FRAME_US / 1000);
        }
    }
}
