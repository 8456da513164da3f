package io.streammanager.encoder.codec;

import io.streammanager.ffmpeg.FfmpegErrors;
import io.streammanager.ffmpeg.FfmpegException;

import static org.bytedeco.ffmpeg.global.swresample.swr_alloc;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * swresample from the PCM ring's samples (interleaved signed 16-bit, any rate and channel count) to what the AAC
 * encoder takes (planar float at its rate and layout), read straight from the ring slot's memory into one staging
 * frame owned here. Owns the SwrContext, the staging frame and the pointer arrays; one owning thread, closed once.
 * Allocates nothing per call.
 */
public final class PcmResampler implements AutoCloseable {

    /** Headroom for samples swresample holds back and hands out with the next call when rates differ. */
    private static final int DELAY_HEADROOM_SAMPLES = 256;

    private final int inSampleRate;
    private final int inChannels;
    private final int maxInSamples;
    private final int capacitySamples;
    private final SlotAddress input = new SlotAddress();
    private PointerPointer<Pointer> inputPlanes = new PointerPointer<>(1);
    private SwrContext swr;
    private AVFrame staging;
    /** The staging frame's plane array (its own {@code data} array with at most 8 channels), taken once. */
    private PointerPointer<?> stagingPlanes;

    /** A raw address in a mapped ring, reused for every call instead of a new pointer object per slot. */
    private static final class SlotAddress extends Pointer {
        SlotAddress at(long nativeAddress) {
            this.address = nativeAddress;
            return this;
        }
    }

    private PcmResampler(int inSampleRate, int inChannels, int maxInSamples, int capacitySamples) {
        this.inSampleRate = inSampleRate;
        this.inChannels = inChannels;
        this.maxInSamples = maxInSamples;
        this.capacitySamples = capacitySamples;
    }

    /** A resampler for slots of at most {@code maxInSamples} sample frames of S16 at the given rate and channels. */
    public static PcmResampler open(int inSampleRate, int inChannels, int maxInSamples, AudioEncoderSettings out) {
        int capacity = (int) ((long) maxInSamples * out.sampleRate() / inSampleRate) + DELAY_HEADROOM_SAMPLES;
        PcmResampler opened = new PcmResampler(inSampleRate, inChannels, maxInSamples, capacity);
        try (AVChannelLayout inLayout = new AVChannelLayout(); AVChannelLayout outLayout = new AVChannelLayout()) {
            avutil.av_channel_layout_default(inLayout, inChannels);
            avutil.av_channel_layout_default(outLayout, out.channels());
            opened.swr = swr_alloc();
            if (opened.swr == null) {
                throw new FfmpegException("swr_alloc returned null", -12);
            }
            FfmpegErrors.check(swr_alloc_set_opts2(opened.swr, outLayout, avutil.AV_SAMPLE_FMT_FLTP,
                    out.sampleRate(), inLayout, avutil.AV_SAMPLE_FMT_S16, inSampleRate, 0, null),
                    "swr_alloc_set_opts2 (inSampleRate=" + inSampleRate + " inChannels=" + inChannels + ")");
            FfmpegErrors.check(swr_init(opened.swr), "swr_init");
            opened.staging = avutil.av_frame_alloc();
            if (opened.staging == null) {
                throw new FfmpegException("av_frame_alloc returned null", -12);
            }
            opened.staging.nb_samples(capacity);
            opened.staging.format(avutil.AV_SAMPLE_FMT_FLTP);
            opened.staging.sample_rate(out.sampleRate());
            avutil.av_channel_layout_default(opened.staging.ch_layout(), out.channels());
            FfmpegErrors.check(avutil.av_frame_get_buffer(opened.staging, 0), "resampler staging buffer");
            opened.stagingPlanes = opened.staging.extended_data();
            return opened;
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    /** True if this resampler reads slots of that shape (a restarted composition may bring another). */
    public boolean reads(int sampleRate, int channels, int maxSamples) {
        return sampleRate == inSampleRate && channels == inChannels && maxSamples <= maxInSamples;
    }

    /**
     * Converts {@code samples} sample frames of interleaved S16 starting at native address {@code address} into the
     * staging frame; returns how many output samples it now holds ({@link #staged()}), valid until the next call.
     */
    public int convert(long address, int samples) {
        if (samples < 0 || samples > maxInSamples) {
            throw new IllegalArgumentException("samples=" + samples + " must be in 0.." + maxInSamples);
        }
        SwrContext context = requireOpen();
        inputPlanes.put(0, input.at(address));
        return FfmpegErrors.check(swr_convert(context, stagingPlanes, capacitySamples, inputPlanes,
                samples), "swr_convert");
    }

    /** The planes of the samples the last {@link #convert} produced. */
    public PointerPointer<?> staged() {
        return stagingPlanes;
    }

    private SwrContext requireOpen() {
        if (swr == null) {
            throw new IllegalStateException("resampler is closed");
        }
        return swr;
    }

    @Override
    public void close() {
        if (swr != null) {
            swr_free(swr);
            swr = null;
        }
        if (staging != null) {
            avutil.av_frame_free(staging);
            staging = null;
        }
        if (inputPlanes != null) {
            inputPlanes.close();
            inputPlanes = null;
        }
    }
}
