package io.streammanager.encoder.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.condition.EnabledIf;

import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.shm.FrameGeometry;
import io.streammanager.bus.shm.FrameRingWriter;
import io.streammanager.bus.shm.PixelFormat;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.bus.testing.Poll;
import io.streammanager.encoder.codec.EncoderBackend;
import io.streammanager.encoder.codec.EncoderSkip;
import io.streammanager.encoder.codec.H264TestDecoder;
import io.streammanager.encoder.codec.HardwareMode;
import io.streammanager.encoder.codec.TestPatterns;
import io.streammanager.encoder.testing.PacketCollector;
import io.streammanager.encoder.testing.PacketDecoding;

/**
 * A stream asking for VAAPI ({@code encoder.hwaccel: vaapi}) on a machine without the device: with
 * {@code encoder.hardware-fallback} it runs on libx264 and says what it skipped and why; without, it fails saying
 * which device is missing. Each test says where it runs: the fallback ones where no VAAPI device can be created, the
 * device one where it can.
 */
@Timeout(60)
class HardwareFallbackWorkerTest extends WorkerTestBase {

    private static final String STREAM = "hw-fallback-test";
    private static final int FPS = 30;
    private static final long FRAME_US = 1_000_000L / FPS;
    private static final FrameGeometry QVGA = new FrameGeometry(320, 240, PixelFormat.I420, FPS);
    private static final EncoderSpec VAAPI = new EncoderSpec("h264", "veryfast", "zerolatency", 400, 1)
            .withHwaccel("vaapi");

    @Test
    @DisabledIf("io.streammanager.ffmpeg.HardwareDevices#vaapi")
    void withFallbackAVaapiStreamRunsOnLibx264AndRecordsWhyVaapiWasSkipped() throws Exception {
        worker = new StreamWorker(settings(true), listener, nanos -> { }).start();
        encodesFramesThatDecode(15);
        assertTrue(listener.events().contains("started " + STREAM + " libx264"), listener.events().toString());
        List<EncoderSkip> skipped = worker.stats().renditions().getFirst().skipped();
        assertEquals(List.of(EncoderBackend.VAAPI), skipped.stream().map(EncoderSkip::backend).toList());
        assertEquals("no_device", skipped.getFirst().reasonLabel());
    }

    @Test
    @EnabledIf("io.streammanager.ffmpeg.HardwareDevices#vaapi")
    void whereTheDeviceExistsAVaapiStreamEncodesOnIt() throws Exception {
        worker = new StreamWorker(settings(false), listener, nanos -> { }).start();
        encodesFramesThatDecode(15);
        assertTrue(listener.events().contains("started " + STREAM + " h264_vaapi"), listener.events().toString());
        assertEquals(List.of(), worker.stats().renditions().getFirst().skipped());
    }

    /** Publishes {@code frames} frames one at a time (each waits for its packet) and decodes the rendition. */
    private void encodesFramesThatDecode(int frames) throws Exception {
        try (PacketCollector packets = PacketCollector.open(packetRing(), Duration.ofSeconds(5));
             FrameRingWriter producer = FrameRingWriter.create(frameRing(), QVGA, 16)) {
            Poll.await(Duration.ofSeconds(10), "the stream started", () -> listener.events().stream()
                    .anyMatch(e -> e.startsWith("started")), listener::events);
            for (int i = 0; i < frames; i++) {
                MemorySegment slot = producer.claim();
                TestPatterns.fillI420(slot, QVGA.width(), QVGA.height(), i);
                producer.publish(i * FRAME_US, i * FRAME_US);
                long publishedUs = i * FRAME_US;
                // one frame at a time, so a busy machine's encoder is never lapped
                Poll.await(Duration.ofSeconds(10), "frame " + i + " encoded", () -> packets.records().stream()
                        .anyMatch(p -> p.videoPacket() && p.ptsUs() == publishedUs), () -> "");
            }
            List<H264TestDecoder.Picture> pictures = PacketDecoding.decode(packets.records(), 0,
                    new H264TestDecoder());
            assertEquals(frames, pictures.size(), "every frame decodes");
            assertTrue(pictures.stream().allMatch(p -> p.width() == 320 && p.height() == 240), pictures.toString());
            producer.closeAndDelete();
        }
    }

    @Test
    @DisabledIf("io.streammanager.ffmpeg.HardwareDevices#vaapi")
    void withoutFallbackAVaapiStreamFailsNamingTheMissingDevice() throws Exception {
        worker = new StreamWorker(settings(false), listener, nanos -> { }).start();
        try (FrameRingWriter producer = FrameRingWriter.create(frameRing(), QVGA, 8)) {
            Poll.await(Duration.ofSeconds(10), "the worker gave up", () -> !worker.alive(), listener::events);
            assertEquals(StreamStats.State.FAILED, worker.stats().state());
            assertTrue(listener.events().stream().anyMatch(e -> e.startsWith("error " + STREAM)
                    && e.contains("encoder.hardware=vaapi") && e.contains("h264_vaapi: no vaapi device")),
                    listener.events().toString());
            assertFalse(Files.exists(packetRing()), "no packet ring left behind");
            producer.closeAndDelete();
        }
    }

    /** The service's default is software; the stream's hwaccel asks for VAAPI. */
    private WorkerSettings settings(boolean fallback) {
        return new WorkerSettings(STREAM, 1, 0, VAAPI, shm.path(), 1 << 20, Duration.ofSeconds(5),
                Duration.ofSeconds(2), Duration.ofMillis(100), HardwareMode.SOFTWARE, fallback, 1, null);
    }

    private Path frameRing() {
        return RingFiles.frameRing(shm.path(), STREAM);
    }

    private Path packetRing() {
        return RingFiles.packetRing(shm.path(), STREAM);
    }
}
