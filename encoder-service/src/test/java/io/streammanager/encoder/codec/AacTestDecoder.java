package io.streammanager.encoder.codec;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.FloatPointer;

/**
 * FFmpeg's own AAC decoder, opened from an AudioSpecificConfig (the codec config's extradata) as a demuxer would, for
 * checking what the encoder wrote: how many samples came out and how loud the loudest one was.
 */
public final class AacTestDecoder extends TestDecoder {

    private long samples;
    private int frames;
    private double peak;
    private int sampleRate;
    private int channels;

    public AacTestDecoder(byte[] audioSpecificConfig) {
        super(avcodec.AV_CODEC_ID_AAC, "aac", audioSpecificConfig);
    }

    @Override
    void onFrame(AVFrame frame) {
        if (frame.format() != avutil.AV_SAMPLE_FMT_FLTP) {
            throw new IllegalStateException("aac decoder gave sample format " + frame.format());
        }
        frames++;
        samples += frame.nb_samples();
        sampleRate = frame.sample_rate();
        channels = frame.ch_layout().nb_channels();
        float[] plane = new float[frame.nb_samples()];
        for (int channel = 0; channel < channels; channel++) {
            new FloatPointer(frame.extended_data(channel)).get(plane);
            for (float sample : plane) {
                peak = Math.max(peak, Math.abs(sample));
            }
        }
    }

    /** Samples per channel decoded so far. */
    public long samples() {
        return samples;
    }

    public int frames() {
        return frames;
    }

    /** Largest absolute sample value (1.0 = full scale). */
    public double peak() {
        return peak;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int channels() {
        return channels;
    }
}
