package io.streammanager.composition.sources;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG2VIDEO;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP9;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;

import io.streammanager.ffmpeg.HardwareDevices;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Which hardware decoder a source's video uses, if any ({@code composition.sources.hw-decode}): NVIDIA's NVDEC
 * ({@code h264_cuvid}, ...) or Intel's Quick Sync ({@code h264_qsv}, ...), each only where its device can be created
 * and this FFmpeg build has the decoder; {@code auto} takes the first of them that is there. Both hand back NV12 in
 * system memory, which the frame scaler converts like any other format. VAAPI is not offered for decoding: it needs
 * a device set on the codec context before it opens, which the frame grabber does not give access to.
 */
public final class HardwareDecoders {

    /** The setting's values. */
    public enum Mode { NONE, AUTO, NVDEC, QSV }

    private static final Map<Integer, String> CODEC_NAMES = Map.of(AV_CODEC_ID_H264, "h264", AV_CODEC_ID_HEVC,
            "hevc", AV_CODEC_ID_VP9, "vp9", AV_CODEC_ID_AV1, "av1", AV_CODEC_ID_MPEG2VIDEO, "mpeg2");

    private final Mode mode;
    private final BooleanSupplier nvidia;
    private final BooleanSupplier qsv;

    public HardwareDecoders(Mode mode) {
        this(mode, HardwareDevices::nvidia, HardwareDevices::qsv);
    }

    /** With the device probes given (tests). */
    HardwareDecoders(Mode mode, BooleanSupplier nvidia, BooleanSupplier qsv) {
        this.mode = mode;
        this.nvidia = nvidia;
        this.qsv = qsv;
    }

    /** The decoder to reopen a video of {@code codecId} with, or empty: software decoding. */
    Optional<String> choose(int codecId) {
        String codec = CODEC_NAMES.get(codecId);
        if (codec == null || mode == Mode.NONE) {
            return Optional.empty();
        }
        if ((mode == Mode.AUTO || mode == Mode.NVDEC) && available(codec + "_cuvid", nvidia)) {
            return Optional.of(codec + "_cuvid");
        }
        if ((mode == Mode.AUTO || mode == Mode.QSV) && available(codec + "_qsv", qsv)) {
            return Optional.of(codec + "_qsv");
        }
        return Optional.empty();
    }

    private static boolean available(String decoder, BooleanSupplier device) {
        return avcodec_find_decoder_by_name(decoder) != null && device.getAsBoolean();
    }
}
