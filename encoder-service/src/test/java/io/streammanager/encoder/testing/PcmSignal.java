package io.streammanager.encoder.testing;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;

import io.streammanager.bus.shm.FrameRingWriter;
import io.streammanager.encoder.codec.AacTestDecoder;

/**
 * The test side of the PCM ring: writes a sine (silent before a chosen sample) slot by slot as the composition
 * would (one slot per video frame, floor((i+1)*rate/fps) - floor(i*rate/fps) samples, stereo S16), and measures
 * what came back out of the AAC decoder: level, frequency (Goertzel) and where the tone starts.
 */
public final class PcmSignal {

    /** The rate of the decoded track the analysis methods read. */
    public static final int RATE = 48_000;

    private final int sampleRate;
    private final int channels;
    private final int fps;
    private final double frequencyHz;
    private final double amplitude;
    private final long onsetSample;

    /**
     * @param amplitude   peak as a fraction of full scale
     * @param onsetSample the first sample of the tone (silence before), counted in the signal's own samples
     */
    public PcmSignal(int fps, double frequencyHz, double amplitude, long onsetSample) {
        this(RATE, 2, fps, frequencyHz, amplitude, onsetSample);
    }

    /** A signal for a ring of another shape: {@code sampleRate} Hz, {@code channels} channels (all alike). */
    public PcmSignal(int sampleRate, int channels, int fps, double frequencyHz, double amplitude, long onsetSample) {
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.fps = fps;
        this.frequencyHz = frequencyHz;
        this.amplitude = amplitude;
        this.onsetSample = onsetSample;
    }

    /** First sample of frame {@code index}'s slot. */
    public long firstSample(long index) {
        return index * sampleRate / fps;
    }

    /** Writes and publishes the slot of video frame {@code index} (pts and capture time as that frame's). */
    public void publish(FrameRingWriter ring, long index, long ptsUs, long captureEpochUs) {
        int count = (int) (firstSample(index + 1) - firstSample(index));
        MemorySegment slot = ring.claim();
        long first = firstSample(index);
        for (int i = 0; i < count; i++) {
            short value = sampleAt(first + i);
            for (int channel = 0; channel < channels; channel++) {
                slot.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, (long) i * channels + channel, value);
            }
        }
        ring.publishSamples(ptsUs, captureEpochUs, count);
    }

    private short sampleAt(long sample) {
        if (sample < onsetSample) {
            return 0;
        }
        return (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * frequencyHz * sample / sampleRate));
    }

    /** The RMS a clean tone of this amplitude has (full scale 1.0). */
    public double expectedRms() {
        return amplitude / Math.sqrt(2);
    }

    /** Root mean square of {@code samples}. */
    public static double rms(float[] samples) {
        double sum = 0;
        for (float sample : samples) {
            sum += sample * sample;
        }
        return Math.sqrt(sum / samples.length);
    }

    /** The amplitude of the component at {@code frequencyHz} (Goertzel), 1.0 = a full-scale sine. */
    public static double amplitudeAt(float[] samples, double frequencyHz) {
        double coefficient = 2 * Math.cos(2 * Math.PI * frequencyHz / RATE);
        double previous = 0;
        double beforePrevious = 0;
        for (float sample : samples) {
            double current = sample + coefficient * previous - beforePrevious;
            beforePrevious = previous;
            previous = current;
        }
        double power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
        return 2 * Math.sqrt(Math.max(0, power)) / samples.length;
    }

    /** Decoded samples from {@code fromUs} (inclusive) to {@code toUs} (exclusive) on the blocks' timeline. */
    public static float[] between(List<AacTestDecoder.Block> blocks, long fromUs, long toUs) {
        float[] out = new float[(int) ((toUs - fromUs) * RATE / 1_000_000)];
        int filled = 0;
        for (AacTestDecoder.Block block : blocks) {
            for (int i = 0; i < block.samples().length && filled < out.length; i++) {
                long us = block.ptsUs() + i * 1_000_000L / RATE;
                if (us >= fromUs && us < toUs) {
                    out[filled++] = block.samples()[i];
                }
            }
        }
        return Arrays.copyOf(out, filled);
    }

    /** Output time of the first decoded sample louder than {@code threshold}, or Long.MIN_VALUE if none is. */
    public static long firstLouderThan(List<AacTestDecoder.Block> blocks, double threshold) {
        for (AacTestDecoder.Block block : blocks) {
            for (int i = 0; i < block.samples().length; i++) {
                if (Math.abs(block.samples()[i]) > threshold) {
                    return block.ptsUs() + i * 1_000_000L / RATE;
                }
            }
        }
        return Long.MIN_VALUE;
    }
}
