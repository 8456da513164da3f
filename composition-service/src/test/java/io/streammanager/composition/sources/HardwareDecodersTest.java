package io.streammanager.composition.sources;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PNG;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammanager.composition.sources.HardwareDecoders.Mode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which decoder a source's video gets, for each setting and each device this machine might have. */
class HardwareDecodersTest {

    private static final boolean CUVID = avcodec_find_decoder_by_name("h264_cuvid") != null;
    private static final boolean QSV = avcodec_find_decoder_by_name("h264_qsv") != null;

    @Test
    void withoutADeviceEverySettingDecodesInSoftware() {
        for (Mode mode : Mode.values()) {
            assertEquals(Optional.empty(), new HardwareDecoders(mode, () -> false, () -> false).choose(AV_CODEC_ID_H264),
                    mode.name());
        }
    }

    @Test
    void noneNeverAsksForADevice() {
        assertEquals(Optional.empty(), new HardwareDecoders(Mode.NONE, () -> {
            throw new AssertionError("probed");
        }, () -> {
            throw new AssertionError("probed");
        }).choose(AV_CODEC_ID_H264));
    }

    @Test
    void aDevicePicksItsDecoderWhereThisFfmpegHasIt() {
        assertEquals(CUVID ? Optional.of("h264_cuvid") : Optional.empty(),
                new HardwareDecoders(Mode.AUTO, () -> true, () -> true).choose(AV_CODEC_ID_H264),
                "auto prefers NVDEC");
        assertEquals(QSV ? Optional.of("h264_qsv") : Optional.empty(),
                new HardwareDecoders(Mode.QSV, () -> true, () -> true).choose(AV_CODEC_ID_H264));
        assertEquals(QSV ? Optional.of("h264_qsv") : Optional.empty(),
                new HardwareDecoders(Mode.AUTO, () -> false, () -> true).choose(AV_CODEC_ID_H264),
                "auto falls to Quick Sync without an NVIDIA device");
        assertEquals(Optional.empty(), new HardwareDecoders(Mode.NVDEC, () -> false, () -> true)
                .choose(AV_CODEC_ID_H264), "nvdec alone does not take Quick Sync");
    }

    @Test
    void aCodecWithoutAHardwareDecoderStaysInSoftware() {
        assertTrue(new HardwareDecoders(Mode.AUTO, () -> true, () -> true).choose(AV_CODEC_ID_PNG).isEmpty());
    }
}
