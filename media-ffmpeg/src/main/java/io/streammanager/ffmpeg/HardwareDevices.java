package io.streammanager.ffmpeg;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bytedeco.ffmpeg.avutil.AVBufferRef;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Which hardware this machine has, found the way the encoders and decoders use it: by creating the FFmpeg device (a
 * device node alone proves no driver), once per type and process. The composition asks before it picks a hardware
 * decoder; tests use it in {@code @EnabledIf}/{@code @DisabledIf} on single tests, so a test of a device path runs
 * wherever that device exists and a fallback test wherever it does not.
 */
public final class HardwareDevices {

    private static final Map<Integer, Boolean> PRESENT = new ConcurrentHashMap<>();

    private HardwareDevices() {
    }

    public static boolean vaapi() {
        return present(avutil.AV_HWDEVICE_TYPE_VAAPI);
    }

    public static boolean qsv() {
        return present(avutil.AV_HWDEVICE_TYPE_QSV);
    }

    /** NVENC's and NVDEC's driver: a CUDA device. */
    public static boolean nvidia() {
        return present(avutil.AV_HWDEVICE_TYPE_CUDA);
    }

    public static boolean anyGpu() {
        return vaapi() || qsv() || nvidia();
    }

    private static boolean present(int deviceType) {
        return PRESENT.computeIfAbsent(deviceType, type -> {
            FfmpegLog.install();
            AVBufferRef device = new AVBufferRef(null);
            FfmpegLog.beginCapture();
            try {
                if (avutil.av_hwdevice_ctx_create(device, type, (String) null, null, 0) < 0) {
                    return false;
                }
                avutil.av_buffer_unref(device);
                return true;
            } finally {
                FfmpegLog.endCapture();
            }
        });
    }
}
