package io.streammanager.encoder.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;

import io.streammanager.ffmpeg.FfmpegErrors;
import io.streammanager.ffmpeg.FfmpegLog;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.jboss.logging.Logger;

/**
 * One opened video encoder (FFmpeg codec context plus its output packet): H.264, HEVC, VP8 or VP9. Takes YUV420P frames with pts in
 * microseconds, hands out packets through a {@link PacketSink}. libx264, NVENC and the other software encoders read
 * those system-memory frames directly; VAAPI and QSV get each one uploaded into a surface of their device first
 * ({@link HardwareFrames}, owned here). One owning thread; closed exactly once.
 */
public final class VideoEncoder implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(VideoEncoder.class);
    private static final int MICROS_PER_SECOND = 1_000_000;

    private final EncoderBackend backend;
    private final VideoEncoderSettings settings;
    private final EncoderOutput output;
    private final byte[] extradata;
    private AVCodecContext context;
    /** The device, surface pool and upload of VAAPI and QSV; null for encoders that take system memory. */
    private HardwareFrames hardwareFrames;

    private VideoEncoder(EncoderBackend backend, VideoEncoderSettings settings, AVCodecContext context,
                         HardwareFrames hardwareFrames) {
        this.backend = backend;
        this.settings = settings;
        this.context = context;
        this.hardwareFrames = hardwareFrames;
        this.output = new EncoderOutput(backend.codecName(), settings.frameDurationUs());
        this.extradata = CodecContexts.extradata(context);
    }

    /** Opens {@code backend} for {@code settings}, or says (with FFmpeg's words) why it cannot. */
    public static VideoEncoder open(EncoderBackend backend, VideoEncoderSettings settings)
            throws EncoderOpenException {
        FfmpegLog.install();
        AVCodec codec = avcodec_find_encoder_by_name(backend.codecName());
        if (codec == null) {
            throw new EncoderOpenException(backend, EncoderOpenException.Failure.NOT_BUILT,
                    "not compiled into this FFmpeg build");
        }
        // without its device a hardware encoder fails late and obscurely; creating it first gives FFmpeg's reason
        HardwareFrames hardwareFrames = backend.deviceType() == avutil.AV_HWDEVICE_TYPE_NONE ? null
                : HardwareFrames.open(backend, settings.width(), settings.height());
        AVCodecContext context = avcodec_alloc_context3(codec);
        boolean opened = false;
        try {
            if (context == null) {
                throw new EncoderOpenException(backend, "avcodec_alloc_context3 returned null");
            }
            configure(context, settings);
            if (hardwareFrames != null) {
                hardwareFrames.attachTo(context);
            }
            applyPrivateOptions(backend, context, settings);
            String refusal = CodecContexts.openOrExplain(context, codec);
            if (refusal != null) {
                // NVENC has no device to probe first: FFmpeg's words say whether the driver (CUDA) was missing
                boolean noDriver = backend == EncoderBackend.NVENC && refusal.toLowerCase(java.util.Locale.ROOT)
                        .matches("(?s).*(cuda|libnvidia|nvenc.*(not available|cannot load)|no capable devices).*");
                throw new EncoderOpenException(backend, noDriver ? EncoderOpenException.Failure.NO_DEVICE
                        : EncoderOpenException.Failure.REFUSED, refusal);
            }
            if (settings.codec().globalHeader() && context.extradata_size() <= 0) {
                throw new EncoderOpenException(backend, "opened without global header (no SPS/PPS in extradata)");
            }
            VideoEncoder encoder = new VideoEncoder(backend, settings, context, hardwareFrames);
            opened = true;
            return encoder;
        } finally {
            if (!opened) {
                if (context != null) {
                    avcodec_free_context(context);
                }
                if (hardwareFrames != null) {
                    hardwareFrames.close();
                }
            }
        }
    }

    private static void configure(AVCodecContext context, VideoEncoderSettings settings) {
        context.width(settings.width());
        context.height(settings.height());
        context.pix_fmt(avutil.AV_PIX_FMT_YUV420P);
        context.time_base(avutil.av_make_q(1, MICROS_PER_SECOND));
        context.framerate(avutil.av_make_q(settings.fps(), 1));
        context.bit_rate(settings.bitrateBps());
        context.rc_max_rate(settings.maxrateBps());
        context.rc_buffer_size(settings.bufsizeBps());
        context.gop_size(settings.gopFrames());
        context.keyint_min(settings.gopFrames());
        context.max_b_frames(0);
        context.thread_count(settings.threads());
        context.flags(context.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
    }

    private static void applyPrivateOptions(EncoderBackend backend, AVCodecContext context,
                                            VideoEncoderSettings settings) {
        switch (backend) {
            case X264 -> {
                setOption(backend, context, "preset", settings.preset());
                setOption(backend, context, "tune", settings.tune());
                if (settings.profile() != null) {
                    setOption(backend, context, "profile", settings.profile());
                }
                // Keyframes only on the GOP schedule, never on scene cuts, and forced I frames become IDR. Filler
                // makes the cap a floor too (hard CBR, what platforms ask for) without NAL HRD, which would freeze
                // the VBV and so refuse a live bitrate change.
                if (!setOption(backend, context, "sc_threshold", "0")) {
                    setOption(backend, context, "x264-params", "scenecut=0:filler=1");
                } else {
                    setOption(backend, context, "x264-params", "filler=1");
                }
                setOption(backend, context, "forced-idr", "1");
            }
            case NVENC -> {
                setOption(backend, context, "preset", NvencPresets.fromX264(settings.preset()));
                setOption(backend, context, "tune", "ull");
                setOption(backend, context, "rc", "cbr");
                setOption(backend, context, "no-scenecut", "1");
                setOption(backend, context, "forced-idr", "1");
            }
            case VAAPI -> {
                // a frame sent as AV_PICTURE_TYPE_I is always an IDR here; idr_interval 0 keeps every I frame one
                setOption(backend, context, "rc_mode", "CBR");
                setOption(backend, context, "idr_interval", "0");
                context.compression_level(HardwarePresets.vaapiCompressionLevel(settings.preset()));
            }
            case QSV -> {
                // CBR because bit_rate == rc_max_rate; one frame in flight and no look-ahead for latency
                setOption(backend, context, "preset", HardwarePresets.qsvPreset(settings.preset()));
                setOption(backend, context, "forced_idr", "1");
                setOption(backend, context, "idr_interval", "0");
                setOption(backend, context, "async_depth", "1");
                setOption(backend, context, "look_ahead", "0");
            }
            case X265 -> {
                setOption(backend, context, "preset", settings.preset());
                setOption(backend, context, "tune", "zerolatency");
                setOption(backend, context, "forced-idr", "1");
                if (settings.profile() != null) {
                    setOption(backend, context, "profile", settings.profile());
                }
                setOption(backend, context, "x265-params", "scenecut=0:log-level=error");
            }
            case VPX_VP8, VPX_VP9 -> {
                // live: encode each frame now (no look-ahead), as fast as the preset asks, CBR at the target
                setOption(backend, context, "deadline", "realtime");
                setOption(backend, context, "cpu-used", Integer.toString(VpxSpeed.cpuUsed(settings.preset())));
                setOption(backend, context, "lag-in-frames", "0");
                setOption(backend, context, "auto-alt-ref", "0");
                context.rc_min_rate(settings.bitrateBps());
                if (backend == EncoderBackend.VPX_VP9) {
                    setOption(backend, context, "row-mt", "1");
                    setOption(backend, context, "tile-columns", Integer.toString(VpxSpeed.tileColumnsLog2(
                            settings.width())));
                    setOption(backend, context, "frame-parallel", "0");
                }
            }
        }
    }

    private static boolean setOption(EncoderBackend backend, AVCodecContext context, String name, String value) {
        int result = avutil.av_opt_set(context.priv_data(), name, value, 0);
        if (result < 0) {
            LOG.debugf("%s: option %s=%s not accepted: %s", backend.codecName(), name, value,
                    FfmpegErrors.describe(result));
            return false;
        }
        return true;
    }

    /**
     * Changes the target bitrate (and with it the VBV maxrate and one-second buffer) from the next frame on, without
     * a new keyframe or new codec headers: FFmpeg's libx264 and NVENC wrappers compare these fields with what the
     * encoder runs before each frame and reconfigure it live. Returns false for an encoder that cannot, which the
     * caller then reopens.
     */
    public boolean changeBitrate(int bitrateBps) {
        if (!backend.liveBitrate()) {
            return false;
        }
        AVCodecContext open = requireOpen();
        open.bit_rate(bitrateBps);
        open.rc_max_rate(bitrateBps);
        open.rc_buffer_size(bitrateBps);
        return true;
    }

    /**
     * Sends one YUV420P frame at this encoder's size (its pts, duration and picture type already set, pts in
     * microseconds). On return the encoder no longer reads {@code frame}: it holds a reference, or its own copy in a
     * device surface.
     */
    public void send(AVFrame frame) {
        AVCodecContext open = requireOpen();
        AVFrame input = hardwareFrames == null ? frame : hardwareFrames.upload(frame);
        FfmpegErrors.check(avcodec_send_frame(open, input), backend.codecName() + " send frame");
    }

    /** Hands every packet the encoder has ready to {@code sink}; returns how many. */
    public int drain(PacketSink sink) {
        return output.drain(requireOpen(), sink);
    }

    /** Signals end of stream and hands out everything still buffered. */
    public int flush(PacketSink sink) {
        return output.flush(requireOpen(), sink);
    }

    /** SPS/PPS exactly as the encoder wrote them with a global header (Annex B for libx264). */
    public byte[] extradata() {
        return extradata.clone();
    }

    public EncoderBackend backend() {
        return backend;
    }

    public VideoEncoderSettings settings() {
        return settings;
    }

    private AVCodecContext requireOpen() {
        if (context == null) {
            throw new IllegalStateException(backend.codecName() + " encoder is closed");
        }
        return context;
    }

    @Override
    public void close() {
        if (context == null) {
            return;
        }
        output.close();
        avcodec_free_context(context);
        context = null;
        if (hardwareFrames != null) {
            hardwareFrames.close();
            hardwareFrames = null;
        }
    }
}
