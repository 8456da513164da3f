package io.streammanager.encoder.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Hardware detection and fallback. Each test that needs a machine without (or with) a device says so itself, by
 * creating that device as the encoder would ({@link io.streammanager.ffmpeg.HardwareDevices}), so on a GPU host the fallback tests of that
 * GPU are disabled and its device tests run, and here the other way round. Encoding on a device: HardwareEncoderTest.
 */
@Timeout(60)
class EncoderSelectorTest {

    private static final VideoEncoderSettings SETTINGS = VideoEncoderSettings.of(320, 240, 30, 500, 2, null, null);
    private static final String DEVICES = "io.streammanager.ffmpeg.HardwareDevices#";

    @Test
    @DisabledIf(DEVICES + "anyGpu")
    void autoSkipsEveryHardwareEncoderAndLandsOnLibx264SayingWhy() throws Exception {
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
    @EnabledIf(DEVICES + "nvidia")
    void nvencOpensWhereAnNvidiaDeviceExists() throws Exception {
        try (VideoEncoder encoder = new EncoderSelector(HardwareMode.NVENC, false).open(SETTINGS)) {
            assertEquals(EncoderBackend.NVENC, encoder.backend());
            assertTrue(encoder.extradata().length > 8, "SPS/PPS present in extradata");
        }
    }

    @Test
    @EnabledIf(DEVICES + "vaapi")
    void vaapiOpensWhereItsDeviceExists() throws Exception {
        try (VideoEncoder encoder = new EncoderSelector(HardwareMode.VAAPI, false).open(SETTINGS)) {
            assertEquals(EncoderBackend.VAAPI, encoder.backend());
            assertTrue(encoder.extradata().length > 8, "SPS/PPS present in extradata");
        }
    }

    @Test
    @EnabledIf(DEVICES + "qsv")
    void qsvOpensWhereItsDeviceExists() throws Exception {
        try (VideoEncoder encoder = new EncoderSelector(HardwareMode.QSV, false).open(SETTINGS)) {
            assertEquals(EncoderBackend.QSV, encoder.backend());
            assertTrue(encoder.extradata().length > 8, "SPS/PPS present in extradata");
        }
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
    void x264PresetsMapOntoIntelTargetUsagesForQsvAndVaapi() {
        List<String> presets = List.of("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow",
                "slower", "veryslow", "placebo");
        assertEquals(List.of("veryfast", "veryfast", "veryfast", "faster", "fast", "medium", "slow", "slower",
                "veryslow", "veryslow"), presets.stream().map(HardwarePresets::qsvPreset).toList());
        assertEquals(List.of(7, 7, 7, 6, 5, 4, 3, 2, 1, 1),
                presets.stream().map(HardwarePresets::vaapiCompressionLevel).toList());
        assertEquals("veryfast", HardwarePresets.qsvPreset(null), "no preset: the stream default, veryfast");
    }

    @Test
    @DisabledIf(DEVICES + "nvidia")
    void explicitNvencWithoutFallbackFailsWithFfmpegsReason() {
        EncoderOpenException failure = assertThrows(EncoderOpenException.class,
                () -> new EncoderSelector(HardwareMode.NVENC, false).open(SETTINGS).close());
        assertTrue(failure.getMessage().contains("encoder.hardware=nvenc"), failure.getMessage());
        assertTrue(failure.getMessage().contains("h264_nvenc"), failure.getMessage());
        assertTrue(failure.getMessage().toLowerCase().contains("cuda"),
                "FFmpeg's reason (no CUDA) is in the message: " + failure.getMessage());
    }

    @Test
    @DisabledIf(DEVICES + "nvidia")
    void explicitNvencWithFallbackUsesLibx264() throws Exception {
        try (VideoEncoder encoder = new EncoderSelector(HardwareMode.NVENC, true).open(SETTINGS)) {
            assertEquals(EncoderBackend.X264, encoder.backend());
        }
    }

    @Test
    @DisabledIf(DEVICES + "vaapi")
    void explicitVaapiWithoutItsDeviceFailsNamingTheDevice() {
        EncoderSelector selector = new EncoderSelector(HardwareMode.VAAPI, false);
        EncoderOpenException failure = assertThrows(EncoderOpenException.class,
                () -> selector.open(SETTINGS).close());
        assertTrue(failure.getMessage().contains("encoder.hardware=vaapi"), failure.getMessage());
        assertTrue(failure.getMessage().contains("h264_vaapi: no vaapi device"), failure.getMessage());
        assertEquals(List.of(EncoderBackend.VAAPI), selector.lastSkips().stream().map(EncoderSkip::backend).toList());
        assertEquals("no_device", selector.lastSkips().getFirst().reasonLabel());
        assertTrue(selector.lastSkips().getFirst().detail().startsWith("no vaapi device: "),
                selector.lastSkips().getFirst().detail());
    }

    @Test
    @DisabledIf(DEVICES + "vaapi")
    void explicitVaapiWithFallbackUsesLibx264AfterSkippingItForWantOfTheDevice() throws Exception {
        EncoderSelector selector = new EncoderSelector(HardwareMode.VAAPI, true);
        try (VideoEncoder encoder = selector.open(SETTINGS)) {
            assertEquals(EncoderBackend.X264, encoder.backend());
        }
        assertEquals(1, selector.lastSkips().size(), selector.lastSkips().toString());
        assertEquals(EncoderBackend.VAAPI, selector.lastSkips().getFirst().backend());
        assertEquals("no_device", selector.lastSkips().getFirst().reasonLabel());
    }

    @Test
    @DisabledIf(DEVICES + "qsv")
    void explicitQsvWithoutItsDeviceFailsNamingTheDevice() {
        EncoderOpenException failure = assertThrows(EncoderOpenException.class,
                () -> new EncoderSelector(HardwareMode.QSV, false).open(SETTINGS).close());
        assertTrue(failure.getMessage().contains("h264_qsv: no qsv device"), failure.getMessage());
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
