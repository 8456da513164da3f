package io.streammanager.encoder.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hardware detection on a machine without a GPU, which is what this machine is. */
@Timeout(60)
class EncoderSelectorTest {

    private static final VideoEncoderSettings SETTINGS = VideoEncoderSettings.of(320, 240, 30, 500, 2, null, null);

    @BeforeEach
    void thisMachineHasNoGpu() {
        assumeFalse(Files.exists(Path.of("/dev/nvidia0")), "an NVIDIA device exists here");
        assumeFalse(Files.exists(Path.of("/dev/dri")), "a DRM (VAAPI/QSV) device exists here");
    }

    @Test
    void autoSkipsEveryHardwareEncoderAndLandsOnLibx264() throws Exception {
        try (VideoEncoder encoder = new EncoderSelector(HardwareMode.AUTO, false).open(SETTINGS)) {
            assertEquals(EncoderBackend.X264, encoder.backend());
            assertTrue(encoder.extradata().length > 8, "SPS/PPS present in extradata");
        }
    }

    @Test
    void explicitNvencWithoutFallbackFailsWithFfmpegsReason() {
        EncoderOpenException failure = assertThrows(EncoderOpenException.class,
                () -> new EncoderSelector(HardwareMode.NVENC, false).open(SETTINGS).close());
        assertTrue(failure.getMessage().contains("encoder.hardware=nvenc"), failure.getMessage());
        assertTrue(failure.getMessage().contains("h264_nvenc"), failure.getMessage());
        assertTrue(failure.getMessage().toLowerCase().contains("cuda"),
                "FFmpeg's reason (no CUDA) is in the message: " + failure.getMessage());
    }

    @Test
    void explicitNvencWithFallbackUsesLibx264() throws Exception {
        try (VideoEncoder encoder = new EncoderSelector(HardwareMode.NVENC, true).open(SETTINGS)) {
            assertEquals(EncoderBackend.X264, encoder.backend());
        }
    }

    @Test
    void explicitVaapiWithoutItsDeviceFails() {
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
