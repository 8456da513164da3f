package io.streammanager.muxer.output;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP8;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP9;

import java.util.Locale;

/**
 * Which FFmpeg codec id a packet ring codec name becomes in an output format, or that the format cannot carry it.
 * FLV takes H.264 as classic FLV and HEVC, VP9 and AV1 as Enhanced RTMP (FFmpeg 8's flv muxer writes the FourCC
 * headers); VP8 has no FLV form at all. Recordings: MP4 takes all but VP8, WebM only VP8, VP9 and AV1. Pure.
 */
public final class VideoCodecIds {

    public static final int UNSUPPORTED = -1;

    private VideoCodecIds() {
    }

    public static int forFormat(String format, String codec) {
        int id = switch (codec == null ? "" : codec.toLowerCase(Locale.ROOT)) {
            case "h264" -> AV_CODEC_ID_H264;
            case "hevc" -> AV_CODEC_ID_HEVC;
            case "vp9" -> AV_CODEC_ID_VP9;
            case "av1" -> AV_CODEC_ID_AV1;
            case "vp8" -> AV_CODEC_ID_VP8;
            default -> UNSUPPORTED;
        };
        if (("flv".equals(format) || "mp4".equals(format)) && id == AV_CODEC_ID_VP8) {
            return UNSUPPORTED;
        }
        if ("webm".equals(format) && id != AV_CODEC_ID_VP8 && id != AV_CODEC_ID_VP9 && id != AV_CODEC_ID_AV1) {
            return UNSUPPORTED;
        }
        return id;
    }
}
