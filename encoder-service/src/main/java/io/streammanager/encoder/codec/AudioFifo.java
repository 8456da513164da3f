package io.streammanager.encoder.codec;

import io.streammanager.ffmpeg.FfmpegErrors;
import io.streammanager.ffmpeg.FfmpegException;

import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The AAC encoder's input buffer: FFmpeg's {@code AVAudioFifo} of planar float samples, cut into frames of exactly
 * the encoder's frame size. Slots of the PCM ring (1600 samples at 30 fps) and silence go in, frames of 1024 come
 * out. Owns the FIFO, the output frame and a frame of zeros (the silence it copies from); one owning thread,
 * closed exactly once. Allocates nothing per frame.
 */
public final class AudioFifo implements AutoCloseable {

    private final int channels;
    private final int frameSamples;
    private final int sampleRate;
    private AVAudioFifo fifo;
    private AVFrame frame;
    private AVFrame zeros;
    /**
     * The frames' plane arrays, taken once: with at most 8 channels they are the AVFrame's own {@code data} array,
     * which stays where it is when the frame is made writable, so no pointer object is made per frame.
     */
    private PointerPointer<?> framePlanes;
    private PointerPointer<?> zeroPlanes;

    private AudioFifo(int channels, int frameSamples, int sampleRate) {
        this.channels = channels;
        this.frameSamples = frameSamples;
        this.sampleRate = sampleRate;
    }

    /** A FIFO feeding {@code encoder} (its channel layout, rate and frame size). */
    public static AudioFifo forEncoder(AudioEncoder encoder) {
        AudioEncoderSettings settings = encoder.settings();
        AudioFifo opened = new AudioFifo(settings.channels(), encoder.frameSamples(), settings.sampleRate());
        try {
            // room for a second of samples up front; av_audio_fifo_write grows it if ever needed
            opened.fifo = avutil.av_audio_fifo_alloc(avutil.AV_SAMPLE_FMT_FLTP, settings.channels(),
                    settings.sampleRate());
            if (opened.fifo == null) {
                throw new FfmpegException("av_audio_fifo_alloc returned null", -12);
            }
            opened.frame = opened.allocFrame();
            opened.zeros = opened.allocFrame();
            opened.framePlanes = opened.frame.extended_data();
            opened.zeroPlanes = opened.zeros.extended_data();
            FfmpegErrors.check(avutil.av_samples_set_silence(opened.zeroPlanes, 0, opened.frameSamples,
                    opened.channels, avutil.AV_SAMPLE_FMT_FLTP), "audio fifo silence");
            return opened;
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    private AVFrame allocFrame() {
        AVFrame allocated = avutil.av_frame_alloc();
        if (allocated == null) {
            throw new FfmpegException("av_frame_alloc returned null", -12);
        }
        allocated.nb_samples(frameSamples);
        allocated.format(avutil.AV_SAMPLE_FMT_FLTP);
        allocated.sample_rate(sampleRate);
        avutil.av_channel_layout_default(allocated.ch_layout(), channels);
        int result = avutil.av_frame_get_buffer(allocated, 0);
        if (result < 0) {
            avutil.av_frame_free(allocated);
            FfmpegErrors.check(result, "audio fifo frame buffer");
        }
        return allocated;
    }

    /** Appends {@code samples} samples from planar float planes (one pointer per channel). */
    public void write(PointerPointer<?> planes, int samples) {
        if (samples <= 0) {
            return;
        }
        int written = FfmpegErrors.check(avutil.av_audio_fifo_write(requireOpen(), planes, samples),
                "av_audio_fifo_write");
        if (written != samples) {
            throw new FfmpegException("av_audio_fifo_write wrote " + written + " of " + samples + " samples", -12);
        }
    }

    /** Appends {@code samples} samples of silence. */
    public void writeSilence(long samples) {
        long left = samples;
        while (left > 0) {
            int chunk = (int) Math.min(left, frameSamples);
            write(zeroPlanes, chunk);
            left -= chunk;
        }
    }

    /** Samples per channel waiting for a frame. */
    public int size() {
        return avutil.av_audio_fifo_size(requireOpen());
    }

    /**
     * The next whole frame ({@link AudioEncoder#frameSamples()} samples) taken out of the FIFO, or null while
     * fewer are queued. The frame is reused: valid until the next call.
     */
    public AVFrame nextFrame() {
        if (size() < frameSamples) {
            return null;
        }
        // the encoder may still hold a reference to the last frame's buffer: never write under it
        FfmpegErrors.check(avutil.av_frame_make_writable(frame), "audio frame writable");
        int read = FfmpegErrors.check(avutil.av_audio_fifo_read(fifo, framePlanes, frameSamples),
                "av_audio_fifo_read");
        frame.nb_samples(read);
        return frame;
    }

    private AVAudioFifo requireOpen() {
        if (fifo == null) {
            throw new IllegalStateException("audio fifo is closed");
        }
        return fifo;
    }

    @Override
    public void close() {
        if (frame != null) {
            avutil.av_frame_free(frame);
            frame = null;
        }
        if (zeros != null) {
            avutil.av_frame_free(zeros);
            zeros = null;
        }
        if (fifo != null) {
            avutil.av_audio_fifo_free(fifo);
            fifo = null;
        }
    }
}
