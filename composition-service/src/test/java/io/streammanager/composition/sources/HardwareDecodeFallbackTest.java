package io.streammanager.composition.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streammanager.bus.testing.Poll;
import io.streammanager.composition.sources.HardwareDecoders.Mode;
import io.streammanager.composition.scene.VideoFrame;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source's video through a hardware decoder, and what happens where that decoder cannot open: the source goes on
 * in software and says why. Each test runs where its device is (or is not), so a GPU host runs the device path and
 * this machine the fallback.
 */
class HardwareDecodeFallbackTest {

    @TempDir
    Path dir;

    @Test
    @DisabledIf("io.streammanager.ffmpeg.HardwareDevices#nvidia")
    void anNvdecDecoderThatCannotOpenLeavesTheSourceDecodingInSoftware() throws Exception {
        // the device probe says yes, the driver is not there: h264_cuvid fails to open
        try (MediaSource source = source(new HardwareDecoders(Mode.NVDEC, () -> true, () -> false))) {
            VideoFrame frame = firstFrame(source);
            assertEquals(64, frame.width());
            assertEquals("h264", source.decoder());
            assertTrue(source.hardwareDecodeError().startsWith("h264_cuvid: "), source.hardwareDecodeError());
        }
    }

    @Test
    void withoutHardwareDecodingTheSoftwareDecoderIsNamed() throws Exception {
        try (MediaSource source = source(new HardwareDecoders(Mode.NONE))) {
            firstFrame(source);
            assertEquals("h264", source.decoder());
            assertNull(source.hardwareDecodeError());
        }
    }

    @Test
    @EnabledIf("io.streammanager.ffmpeg.HardwareDevices#nvidia")
    void anNvidiaDeviceDecodesTheSourceWithNvdec() throws Exception {
        try (MediaSource source = source(new HardwareDecoders(Mode.NVDEC))) {
            VideoFrame frame = firstFrame(source);
            assertEquals(64, frame.width());
            assertEquals("h264_cuvid", source.decoder());
            assertNull(source.hardwareDecodeError());
        }
    }

    @Test
    @EnabledIf("io.streammanager.ffmpeg.HardwareDevices#qsv")
    void aQuickSyncDeviceDecodesTheSourceWithQsv() throws Exception {
        try (MediaSource source = source(new HardwareDecoders(Mode.QSV))) {
            VideoFrame frame = firstFrame(source);
            assertEquals(64, frame.width());
            assertEquals("h264_qsv", source.decoder());
        }
    }

    private MediaSource source(HardwareDecoders decoders) throws Exception {
        Path clip = dir.resolve("clip.mp4");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc2=size=64x36:rate=25", "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
                "yuv420p", clip.toString()).redirectErrorStream(true).start();
        String output = new String(ffmpeg.getInputStream().readAllBytes());
        assertEquals(0, ffmpeg.waitFor(), output);
        MediaSource.Settings settings = new MediaSource.Settings(4, 500_000_000L, 2_000_000_000L, 50_000_000L,
                200_000_000L, 48_000, decoders);
        MediaSource source = new MediaSource("cam", SourceInput.file(clip), true, true, 64, 36, settings,
                new SourceMeters(new SimpleMeterRegistry(), "hw", "cam"));
        source.start();
        return source;
    }

    private static VideoFrame firstFrame(MediaSource source) {
        VideoFrame[] frame = new VideoFrame[1];
        assertTrue(Poll.until(Duration.ofSeconds(10), () -> (frame[0] = source.frameForClock()) != null),
                "a decoded frame; source state " + source.state() + ", error " + source.lastError());
        return frame[0];
    }
}
