package io.streammanager.composition.audio;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A stream's audio mix, run on its clock thread once per published video frame: takes that frame interval's samples
 * from every source (see {@link AudioTrack}), applies each source's gain (ramped linearly over the slot from the
 * previous tick's gain, so a volume change, a mute or a source leaving the scene does not click), sums them in int
 * and clips the sum to S16 (clipped samples counted). Frame {@code i} holds
 * {@code floor((i+1)*48000/fps) - floor(i*48000/fps)} sample frames, so a second of slots holds exactly 48000.
 * Nothing here allocates per frame.
 */
public final class AudioMixer {

    private static final ValueLayout.OfShort S16_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final AudioTracks tracks;
    private final int fps;
    private final short[] source;
    private final int[] sum;
    private final short[] out;
    private volatile long clippedSamples;
    private long lastFrameIndex = -1;

    public AudioMixer(AudioTracks tracks, int fps) {
        if (fps <= 0) {
            throw new IllegalArgumentException("fps=" + fps + " must be positive");
        }
        this.tracks = tracks;
        this.fps = fps;
        int max = maxSamplesPerFrame(fps) * AudioQueue.CHANNELS;
        this.source = new short[max];
        this.sum = new int[max];
        this.out = new short[max];
    }

    /** Sample frames in frame {@code frameIndex}'s interval at {@code fps}. */
    public static int samplesInFrame(long frameIndex, int fps) {
        long rate = AudioQueue.SAMPLE_RATE;
        return (int) ((frameIndex + 1) * rate / fps - frameIndex * rate / fps);
    }

    /** The index of frame {@code frameIndex}'s first sample frame on the stream's sample clock. */
    private long firstSample(long frameIndex) {
        return frameIndex * AudioQueue.SAMPLE_RATE / fps;
    }

    static int maxSamplesPerFrame(int fps) {
        return (AudioQueue.SAMPLE_RATE + fps - 1) / fps;
    }

    /**
     * Mixes frame {@code frameIndex}'s interval into {@code slot} (interleaved S16 LE stereo from offset 0);
     * returns the sample frames written.
     */
    public int mix(long frameIndex, MemorySegment slot) {
        if (lastFrameIndex >= 0 && frameIndex > lastFrameIndex + 1) {
            // the clock skipped frames (it was late): their intervals' sound is never played, so it goes now, or
            // every source would fall that far behind its picture until the sync rule noticed and cut it
            long missedSamples = firstSample(frameIndex) - firstSample(lastFrameIndex + 1);
            for (AudioTrack track : tracks.current()) {
                track.ticksSkipped(missedSamples);
            }
        }
        lastFrameIndex = frameIndex;
        int count = samplesInFrame(frameIndex, fps);
        int values = count * AudioQueue.CHANNELS;
        Arrays.fill(sum, 0, values, 0);
        for (AudioTrack track : tracks.current()) {
            double from = track.startGain();
            double to = track.fill(source, count);
            track.endGain(to);
            track.level(rmsDbfs(source, values));
            if (from == 0 && to == 0) {
                continue;
            }
            add(source, sum, count, from, to);
        }
        long clipped = 0;
        for (int i = 0; i < values; i++) {
            int v = sum[i];
            if (v > Short.MAX_VALUE) {
                v = Short.MAX_VALUE;
                clipped++;
            } else if (v < Short.MIN_VALUE) {
                v = Short.MIN_VALUE;
                clipped++;
            }
            out[i] = (short) v;
        }
        if (clipped > 0) {
            clippedSamples += clipped;
        }
        MemorySegment.copy(out, 0, slot, S16_LE, 0, values);
        return count;
    }

    /** Adds {@code samples} times a gain going linearly from {@code from} (first frame) to {@code to} (last). */
    static void add(short[] samples, int[] sum, int count, double from, double to) {
        double step = count > 1 ? (to - from) / (count - 1) : 0;
        for (int frame = 0; frame < count; frame++) {
            double gain = from + step * frame;
            int at = frame * AudioQueue.CHANNELS;
            for (int c = 0; c < AudioQueue.CHANNELS; c++) {
                sum[at + c] += (int) Math.round(samples[at + c] * gain);
            }
        }
    }

    static double rmsDbfs(short[] samples, int values) {
        double squares = 0;
        for (int i = 0; i < values; i++) {
            double s = samples[i];
            squares += s * s;
        }
        if (squares == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        return 20 * Math.log10(Math.sqrt(squares / values) / 32768.0);
    }

    /** Output samples (each channel counts) clipped to S16 because the sources' sum was too loud. */
    public long clippedSamples() {
        return clippedSamples;
    }
}
