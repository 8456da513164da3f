package io.streammanager.encoder.codec;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * The H.264 encoders this service knows, with the FFmpeg codec name and, for encoders that need one, the hardware
 * device type that must exist before the encoder can open.
 */
public enum EncoderBackend {
    NVENC("h264_nvenc", avutil.AV_HWDEVICE_TYPE_NONE, true),
    VAAPI("h264_vaapi", avutil.AV_HWDEVICE_TYPE_VAAPI, true),
    QSV("h264_qsv", avutil.AV_HWDEVICE_TYPE_QSV, true),
    X264("libx264", avutil.AV_HWDEVICE_TYPE_NONE, false);

    private final String codecName;
    private final int deviceType;
    private final boolean hardware;

    EncoderBackend(String codecName, int deviceType, boolean hardware) {
        this.codecName = codecName;
        this.deviceType = deviceType;
        this.hardware = hardware;
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
