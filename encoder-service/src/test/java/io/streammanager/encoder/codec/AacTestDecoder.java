package io.streammanager.encoder.codec;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.FloatPointer;

/**
 * FFmpeg's own AAC decoder, opened from an AudioSpecificConfig (the codec config's extradata) as a demuxer would, for
 * checking what the encoder wrote: how many samples came out, how loud the loudest one was, and (for signal checks)
 * each decoded frame's pts with its first channel's samples.
 */
public final class AacTestDecoder extends TestDecoder {

    private long samples;
    private int frames;
    private double peak;
    private int sampleRate;
    private int channels;
    private final List<Block> blocks = new ArrayList<>();

    /** One decoded frame: its pts (the packet's, microseconds) and its first channel (1.0 = full scale). */
    public record Block(long ptsUs, float[] samples) {
    }

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
        for (int channel = 0; channel < channels; channel++) {
            float[] plane = new float[frame.nb_samples()];
            new FloatPointer(frame.extended_data(channel)).get(plane);
            for (float sample : plane) {
                peak = Math.max(peak, Math.abs(sample));
            }
            if (channel == 0) {
                blocks.add(new Block(frame.pts(), plane));
            }
        }
    }

    /** Every decoded frame so far, in decoding order. */
    public List<Block> blocks() {
        return blocks;
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
