package io.streammanager.encoder.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hardware detection and fallback. Each test that needs a machine without (or with) a device says so itself, so on a
 * GPU host the fallback tests skip and the device tests run, and here the other way round.
 */
@Timeout(60)
class EncoderSelectorTest {

    private static final VideoEncoderSettings SETTINGS = VideoEncoderSettings.of(320, 240, 30, 500, 2, null, null);

    private static boolean nvidia() {
        return Files.exists(Path.of("/dev/nvidia0"));
    }

    private static boolean drm() {
        return Files.exists(Path.of("/dev/dri"));
    }

    @Test
    void autoSkipsEveryHardwareEncoderAndLandsOnLibx264SayingWhy() throws Exception {
        assumeFalse(nvidia() || drm(), "a GPU exists here: auto would use it");
        EncoderSelector selector = new EncoderSelector(HardwareMode.AUTO, false);
        try (VideoEncoder encoder = selector.open(SETTINGS)) {
            assertEquals(EncoderBackend.X264, encoder.backend());
            assertTrue(encoder.extradata().length > 8, "SPS/PPS present in extradata");
        }
        assertEquals(List.of(EncoderBackend.NVENC, EncoderBackend.VAAPI, EncoderBackend.QSV),
                selector.lastSkips().stream().map(EncoderSkip::backend).toList());
        assertTrue(selector.lastSkips().stream().allMatch(s -> s.reason() == EncoderOpenException.Failure.NO_DEVICE),
                "each skipped for want of its device: " + selector.lastSkips());
    }

    @Test
    void nvencOpensWhereAnNvidiaDeviceExists() throws Exception {
        assumeTrue(nvidia(), "no NVIDIA device here");
        try (VideoEncoder encoder = new EncoderSelector(HardwareMode.NVENC, false).open(SETTINGS)) {
            assertEquals(EncoderBackend.NVENC, encoder.backend());
            assertTrue(encoder.extradata().length > 8, "SPS/PPS present in extradata");
        }
    }

    @Test
    void aDrmDeviceIsFoundButReportedAsNotFedYet() {
        assumeTrue(drm(), "no DRM device here");
        EncoderOpenException failure = assertThrows(EncoderOpenException.class,
                () -> new EncoderSelector(HardwareMode.VAAPI, false).open(SETTINGS).close());
        assertTrue(failure.getMessage().contains("h264_vaapi"), failure.getMessage());
    }

    @Test
    void otherCodecsOpenTheirSoftwareEncoderWhateverTheHardwareMode() throws Exception {
        VideoEncoderSettings vp9 = new VideoEncoderSettings(VideoCodec.VP9, 320, 240, 30, 500_000, 30, "veryfast",
                null, null, 0);
        try (VideoEncoder encoder = new EncoderSelector(HardwareMode.NVENC, false).open(vp9)) {
            assertEquals(EncoderBackend.VPX_VP9, encoder.backend());
        }
    }

    @Test
    void x264PresetsMapOntoNvencsSpeedScale() {
        assertEquals(List.of("p1", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p7", "p7"),
                Stream.of("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower",
                        "veryslow", "placebo").map(NvencPresets::fromX264).toList());
    }

    @Test
    void explicitNvencWithoutFallbackFailsWithFfmpegsReason() {
        assumeFalse(nvidia(), "an NVIDIA device exists here");
        EncoderOpenException failure = assertThrows(EncoderOpenException.class,
                () -> new EncoderSelector(HardwareMode.NVENC, false).open(SETTINGS).close());
        assertTrue(failure.getMessage().contains("encoder.hardware=nvenc"), failure.getMessage());
        assertTrue(failure.getMessage().contains("h264_nvenc"), failure.getMessage());
        assertTrue(failure.getMessage().toLowerCase().contains("cuda"),
                "FFmpeg's reason (no CUDA) is in the message: " + failure.getMessage());
    }

    @Test
    void explicitNvencWithFallbackUsesLibx264() throws Exception {
        assumeFalse(nvidia(), "an NVIDIA device exists here");
        try (VideoEncoder encoder = new EncoderSelector(HardwareMode.NVENC, true).open(SETTINGS)) {
            assertEquals(EncoderBackend.X264, encoder.backend());
        }
    }

    @Test
    void explicitVaapiWithoutItsDeviceFails() {
        assumeFalse(drm(), "a DRM (VAAPI/QSV) device exists here");
        EncoderOpenException failure = assertThrows(EncoderOpenException.class,
                () -> new EncoderSelector(HardwareMode.VAAPI, false).open(SETTINGS).close());
        assertTrue(failure.getMessage().contains("no vaapi device"), failure.getMessage());
    }

    @Test
    void anUnknownHardwareValueIsRejectedNamingTheKey() {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> HardwareMode.parse("cuda"));
        assertTrue(failure.getMessage().contains("encoder.hardware=cuda"), failure.getMessage());
    }

    @Test
    void anEncoderIsClosedExactlyOnceEvenWhenClosedTwice() throws Exception {
        VideoEncoder encoder = new EncoderSelector(HardwareMode.SOFTWARE, false).open(SETTINGS);
        encoder.close();
        encoder.close();
        assertThrows(IllegalStateException.class, () -> encoder.drain(p -> { }));
    }
}
