package io.streammanager.encoder.codec;

import io.streammanager.ffmpeg.FfmpegErrors;
import io.streammanager.ffmpeg.FfmpegException;
import io.streammanager.ffmpeg.FfmpegLog;

import static org.bytedeco.ffmpeg.global.avutil.av_buffer_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_buffer_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_hwdevice_ctx_create;
import static org.bytedeco.ffmpeg.global.avutil.av_hwdevice_get_type_name;
import static org.bytedeco.ffmpeg.global.avutil.av_hwframe_ctx_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_hwframe_ctx_init;
import static org.bytedeco.ffmpeg.global.avutil.av_hwframe_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_hwframe_transfer_data;

import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVBufferRef;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVHWFramesContext;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * A VAAPI or QSV encoder's input side: the device, a pool of NV12 surfaces on it (a hardware frames context), and
 * the upload of each system-memory YUV420P picture into a surface, as FFmpeg's {@code format=nv12,hwupload} filters
 * would do. The codec context gets its own reference to the pool before it opens. Owns the device, the pool, the
 * NV12 staging frame and the surface frame; one owning thread; closed once.
 */
final class HardwareFrames implements AutoCloseable {

    /**
     * Surfaces in the pool. QSV needs a fixed pool; the encoder holds a few inputs in flight (async depth, no
     * B-frames) and we hold one more, so 20 never runs dry while staying a few MB of video memory per rendition.
     */
    static final int POOL_SURFACES = 20;

    private final EncoderBackend backend;
    private AVBufferRef device;
    private AVBufferRef frames;
    private Nv12Converter nv12;
    private AVFrame surface;

    private HardwareFrames(EncoderBackend backend, AVBufferRef device) {
        this.backend = backend;
        this.device = device;
    }

    /**
     * Creates {@code backend}'s device and a {@code width}x{@code height} NV12 surface pool on it, or says (with
     * FFmpeg's words) why not: {@code no_device} when the device cannot be created, {@code device_unsupported} when
     * it exists but will not give us the surfaces.
     */
    static HardwareFrames open(EncoderBackend backend, int width, int height) throws EncoderOpenException {
        HardwareFrames opened = new HardwareFrames(backend, createDevice(backend));
        boolean ok = false;
        try {
            opened.frames = createPool(backend, opened.device, width, height);
            opened.nv12 = new Nv12Converter(width, height);
            opened.surface = av_frame_alloc();
            ok = true;
            return opened;
        } finally {
            if (!ok) {
                opened.close();
            }
        }
    }

    /** The hardware pixel format of {@code backend}'s surfaces. */
    static int surfaceFormat(EncoderBackend backend) {
        return switch (backend) {
            case VAAPI -> avutil.AV_PIX_FMT_VAAPI;
            case QSV -> avutil.AV_PIX_FMT_QSV;
            default -> throw new IllegalArgumentException(backend.codecName() + " takes system-memory frames");
        };
    }

    private static String deviceName(EncoderBackend backend) {
        return av_hwdevice_get_type_name(backend.deviceType()).getString();
    }

    private static AVBufferRef createDevice(EncoderBackend backend) throws EncoderOpenException {
        AVBufferRef device = new AVBufferRef(null);
        FfmpegLog.beginCapture();
        int result;
        String ffmpegSays;
        try {
            result = av_hwdevice_ctx_create(device, backend.deviceType(), (String) null, null, 0);
        } finally {
            ffmpegSays = FfmpegLog.endCapture();
        }
        if (result < 0) {
            throw new EncoderOpenException(backend, EncoderOpenException.Failure.NO_DEVICE, "no "
                    + deviceName(backend) + " device: " + FfmpegErrors.describe(result)
                    + (ffmpegSays.isEmpty() ? "" : ": " + ffmpegSays));
        }
        return device;
    }

    private static AVBufferRef createPool(EncoderBackend backend, AVBufferRef device, int width, int height)
            throws EncoderOpenException {
        AVBufferRef pool = av_hwframe_ctx_alloc(device);
        if (pool == null || pool.isNull()) {
            throw new EncoderOpenException(backend, EncoderOpenException.Failure.DEVICE_UNSUPPORTED,
                    "av_hwframe_ctx_alloc on the " + deviceName(backend) + " device returned null");
        }
        AVHWFramesContext geometry = new AVHWFramesContext(pool.data());
        // NV12, not YUV420P: the one 8-bit 4:2:0 layout every VAAPI driver and QSV surface takes (hwupload's usual
        // companion is format=nv12 for the same reason)
        geometry.format(surfaceFormat(backend)).sw_format(avutil.AV_PIX_FMT_NV12).width(width).height(height)
                .initial_pool_size(POOL_SURFACES);
        FfmpegLog.beginCapture();
        int result;
        String ffmpegSays;
        try {
            result = av_hwframe_ctx_init(pool);
        } finally {
            ffmpegSays = FfmpegLog.endCapture();
        }
        if (result < 0) {
            av_buffer_unref(pool);
            throw new EncoderOpenException(backend, EncoderOpenException.Failure.DEVICE_UNSUPPORTED,
                    deviceName(backend) + " device present, but no " + width + "x" + height + " NV12 surfaces: "
                    + FfmpegErrors.describe(result) + (ffmpegSays.isEmpty() ? "" : ": " + ffmpegSays));
        }
        return pool;
    }

    /** Makes {@code context} take surfaces from this pool; call before {@code avcodec_open2}. */
    void attachTo(AVCodecContext context) {
        context.pix_fmt(surfaceFormat(backend));
        AVBufferRef reference = av_buffer_ref(requireOpen());
        if (reference == null || reference.isNull()) {
            throw new FfmpegException("av_buffer_ref of the hardware frames context failed", 0);
        }
        // the codec context owns this reference and drops it in avcodec_free_context
        context.hw_frames_ctx(reference);
    }

    /**
     * Uploads {@code picture} (YUV420P at the pool's size) into a fresh surface carrying its pts, duration and
     * picture type (a forced IDR stays forced). The surface is valid until the next upload; the encoder keeps its
     * own reference to what it was sent.
     */
    AVFrame upload(AVFrame picture) {
        AVBufferRef pool = requireOpen();
        AVFrame staged = nv12.convert(picture);
        av_frame_unref(surface);
        FfmpegErrors.check(av_hwframe_get_buffer(pool, surface, 0), backend.codecName() + " av_hwframe_get_buffer");
        FfmpegErrors.check(av_hwframe_transfer_data(surface, staged, 0),
                backend.codecName() + " upload to " + deviceName(backend) + " surface");
        surface.pts(picture.pts());
        surface.duration(picture.duration());
        surface.pict_type(picture.pict_type());
        return surface;
    }

    private AVBufferRef requireOpen() {
        if (frames == null) {
            throw new IllegalStateException(backend.codecName() + " hardware frames closed");
        }
        return frames;
    }

    @Override
    public void close() {
        if (surface != null) {
            av_frame_free(surface);
            surface = null;
        }
        if (nv12 != null) {
            nv12.close();
            nv12 = null;
        }
        if (frames != null) {
            av_buffer_unref(frames);
            frames = null;
        }
        if (device != null) {
            av_buffer_unref(device);
            device = null;
        }
    }
}
