package io.streammanager.encoder.codec;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * The encoders this service knows, with the FFmpeg codec name, the codec they write and, for encoders that need one,
 * the hardware device type that must exist before the encoder can open. H.264 has hardware choices; the other codecs
 * are encoded in software.
 */
public enum EncoderBackend {
    NVENC("h264_nvenc", VideoCodec.H264, avutil.AV_HWDEVICE_TYPE_NONE, true),
    VAAPI("h264_vaapi", VideoCodec.H264, avutil.AV_HWDEVICE_TYPE_VAAPI, true),
    QSV("h264_qsv", VideoCodec.H264, avutil.AV_HWDEVICE_TYPE_QSV, true),
    X264("libx264", VideoCodec.H264, avutil.AV_HWDEVICE_TYPE_NONE, false),
    X265("libx265", VideoCodec.HEVC, avutil.AV_HWDEVICE_TYPE_NONE, false),
    VPX_VP8("libvpx", VideoCodec.VP8, avutil.AV_HWDEVICE_TYPE_NONE, false),
    VPX_VP9("libvpx-vp9", VideoCodec.VP9, avutil.AV_HWDEVICE_TYPE_NONE, false);

    private final String codecName;
    private final VideoCodec codec;
    private final int deviceType;
    private final boolean hardware;

    EncoderBackend(String codecName, VideoCodec codec, int deviceType, boolean hardware) {
        this.codecName = codecName;
        this.codec = codec;
        this.deviceType = deviceType;
        this.hardware = hardware;
    }

    /** The software encoder of {@code codec}. */
    public static EncoderBackend software(VideoCodec codec) {
        return switch (codec) {
            case H264 -> X264;
            case HEVC -> X265;
            case VP8 -> VPX_VP8;
            case VP9 -> VPX_VP9;
        };
    }

    public VideoCodec codec() {
        return codec;
    }

    /** FFmpeg's encoder name, also used as the metric tag and health detail. */
    public String codecName() {
        return codecName;
    }

    /** An {@code AV_HWDEVICE_TYPE_*} that must be created before opening, or {@code AV_HWDEVICE_TYPE_NONE}. */
    int deviceType() {
        return deviceType;
    }

    public boolean hardware() {
        return hardware;
    }

    /**
     * Whether a bitrate change reaches the running encoder without reopening it. FFmpeg's libx264 wrapper
     * reconfigures x264 when the context's bit_rate, rc_max_rate or rc_buffer_size change between frames; the
     * hardware ones are reopened instead, as that path cannot be tested on machines without the device.
     */
    public boolean liveBitrate() {
        return this == X264;
    }
}
