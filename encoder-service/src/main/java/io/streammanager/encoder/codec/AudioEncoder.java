package io.streammanager.encoder.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;

import io.streammanager.ffmpeg.FfmpegErrors;
import io.streammanager.ffmpeg.FfmpegException;
import io.streammanager.ffmpeg.FfmpegLog;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.jboss.logging.Logger;

/**
 * One opened AAC encoder (FFmpeg's native {@code aac}, planar float input) with its output packet and one frame of
 * silence that is reused for every send, so feeding silence allocates nothing per frame. Samples come in through
 * {@link #send} (frames of an {@link AudioFifo}) or {@link #sendSilence}. Pts are in microseconds in
 * and out; FFmpeg's audio frame queue turns them into sample positions and back, and shifts the output by the
 * encoder's priming delay ({@link #primingSamples()}), so the first packet starts slightly before the first input.
 * One owning thread; closed exactly once.
 */
public final class AudioEncoder implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AudioEncoder.class);
    private static final int MICROS_PER_SECOND = 1_000_000;

    private final AudioEncoderSettings settings;
    private final EncoderOutput output;
    private final byte[] extradata;
    private final int frameSamples;
    private final int primingSamples;
    private AVCodecContext context;
    private AVFrame silence;

    private AudioEncoder(AudioEncoderSettings settings, AVCodecContext context, AVFrame silence) {
        this.settings = settings;
        this.context = context;
        this.silence = silence;
        this.frameSamples = context.frame_size();
        this.primingSamples = context.initial_padding();
        this.extradata = CodecContexts.extradata(context);
        this.output = new EncoderOutput(AudioEncoderSettings.CODEC_NAME, samplesToUs(frameSamples));
    }

    /** Opens the AAC encoder for {@code settings}, or says (with FFmpeg's words) why it cannot. */
    public static AudioEncoder open(AudioEncoderSettings settings) throws EncoderOpenException {
        FfmpegLog.install();
        String name = AudioEncoderSettings.CODEC_NAME;
        AVCodec codec = avcodec_find_encoder_by_name(name);
        if (codec == null) {
            throw new EncoderOpenException(name, "not compiled into this FFmpeg build");
        }
        AVCodecContext context = avcodec_alloc_context3(codec);
        if (context == null) {
            throw new EncoderOpenException(name, "avcodec_alloc_context3 returned null");
        }
        AVFrame silence = null;
        boolean opened = false;
        try {
            context.sample_fmt(avutil.AV_SAMPLE_FMT_FLTP);
            context.sample_rate(settings.sampleRate());
            avutil.av_channel_layout_default(context.ch_layout(), settings.channels());
            context.bit_rate(settings.bitrateBps());
            context.time_base(avutil.av_make_q(1, MICROS_PER_SECOND));
            // the AudioSpecificConfig goes to extradata, where FLV's AAC sequence header comes from
            context.flags(context.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            String refusal = CodecContexts.openOrExplain(context, codec);
            if (refusal != null) {
                throw new EncoderOpenException(name, refusal + " (sampleRate=" + settings.sampleRate()
                        + " channels=" + settings.channels() + " bitrateBps=" + settings.bitrateBps() + ")");
            }
            if (context.extradata_size() <= 0) {
                throw new EncoderOpenException(name, "opened without global header (no AudioSpecificConfig)");
            }
            if (context.frame_size() <= 0) {
                throw new EncoderOpenException(name, "no fixed frame size: frame_size=" + context.frame_size());
            }
            silence = silentFrame(context, settings);
            AudioEncoder encoder = new AudioEncoder(settings, context, silence);
            opened = true;
            return encoder;
        } finally {
            if (!opened) {
                if (silence != null) {
                    avutil.av_frame_free(silence);
                }
                avcodec_free_context(context);
            }
        }
    }

    private static AVFrame silentFrame(AVCodecContext context, AudioEncoderSettings settings)
            throws EncoderOpenException {
        AVFrame frame = avutil.av_frame_alloc();
        if (frame == null) {
            throw new EncoderOpenException(AudioEncoderSettings.CODEC_NAME, "av_frame_alloc returned null");
        }
        boolean ready = false;
        try {
            frame.nb_samples(context.frame_size());
            frame.format(avutil.AV_SAMPLE_FMT_FLTP);
            frame.sample_rate(settings.sampleRate());
            FfmpegErrors.check(avutil.av_channel_layout_copy(frame.ch_layout(), context.ch_layout()),
                    "aac silence channel layout");
            FfmpegErrors.check(avutil.av_frame_get_buffer(frame, 0), "aac silence buffer");
            // av_frame_get_buffer leaves the samples uninitialised
            FfmpegErrors.check(avutil.av_samples_set_silence(frame.extended_data(), 0, context.frame_size(),
                    settings.channels(), avutil.AV_SAMPLE_FMT_FLTP), "aac silence samples");
            ready = true;
            return frame;
        } finally {
            if (!ready) {
                avutil.av_frame_free(frame);
            }
        }
    }

    /**
     * Sends one frame ({@link #frameSamples()} samples) of silence starting at {@code ptsUs}. The encoder only
     * references the frame's buffer, which is never written after open, so the same frame serves every call.
     */
    public void sendSilence(long ptsUs) {
        AVCodecContext codecContext = requireOpen();
        silence.pts(ptsUs);
        silence.duration(samplesToUs(frameSamples));
        FfmpegErrors.check(avcodec_send_frame(codecContext, silence), AudioEncoderSettings.CODEC_NAME
                + " send frame");
    }

    /**
     * Sends one frame of samples (planar float in the encoder's layout, {@link #frameSamples()} of them, e.g. from
     * an {@link AudioFifo}) starting at {@code ptsUs}. The encoder takes a reference: make the frame writable
     * before filling it again.
     */
    public void send(AVFrame frame, long ptsUs) {
        AVCodecContext codecContext = requireOpen();
        frame.pts(ptsUs);
        frame.duration(samplesToUs(frame.nb_samples()));
        FfmpegErrors.check(avcodec_send_frame(codecContext, frame), AudioEncoderSettings.CODEC_NAME
                + " send frame");
    }

    /** Hands every packet the encoder has ready to {@code sink} (pts in microseconds); returns how many. */
    public int drain(PacketSink sink) {
        return output.drain(requireOpen(), sink);
    }

    /** Signals end of stream and hands out everything still buffered. */
    public int flush(PacketSink sink) {
        return output.flush(requireOpen(), sink);
    }

    /** Samples per channel in every frame the encoder takes (1024 for AAC-LC). */
    public int frameSamples() {
        return frameSamples;
    }

    /** Samples of encoder delay that precede the first input sample in the output (1024 for FFmpeg's aac). */
    public int primingSamples() {
        return primingSamples;
    }

    /** The AudioSpecificConfig as the encoder wrote it with a global header (2 bytes for AAC-LC stereo). */
    public byte[] extradata() {
        return extradata.clone();
    }

    public AudioEncoderSettings settings() {
        return settings;
    }

    /** How long {@code samples} samples last, in microseconds rounded down. */
    public long samplesToUs(long samples) {
        return Math.multiplyExact(samples, (long) MICROS_PER_SECOND) / settings.sampleRate();
    }

    private AVCodecContext requireOpen() {
        if (context == null) {
            throw new IllegalStateException(AudioEncoderSettings.CODEC_NAME + " encoder is closed");
        }
        return context;
    }

    /** Drops whatever the encoder still holds (the track ends with the stream) and frees everything. */
    @Override
    public void close() {
        if (context == null) {
            return;
        }
        try {
            // draining first keeps FFmpeg from warning about queued frames on every stream stop
            output.flush(context, packet -> { });
        } catch (FfmpegException e) {
            LOG.debugf("aac: flush on close failed: %s", e.getMessage());
        }
        output.close();
        avutil.av_frame_free(silence);
        avcodec_free_context(context);
        silence = null;
        context = null;
    }
}
