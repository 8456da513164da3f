package io.streammanager.composition.api;

import io.streammanager.bus.shm.FrameRingReader;
import io.streammanager.bus.shm.FrameView;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.function.Predicate;

/** Reads a stream's mix from its PCM ring (left channel) and measures it: RMS level and Goertzel tone power. */
final class PcmCapture {

    static final ValueLayout.OfShort S16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private PcmCapture() {
    }

    /**
     * Reads consecutive slots into windows of {@code samples} left-channel samples until a window satisfies
     * {@code wanted}; returns it, or fails after {@code timeout}. A window with a lost slot is started over.
     */
    static short[] read(FrameRingReader reader, Duration timeout, int samples, Predicate<short[]> wanted) {
        long deadline = System.nanoTime() + timeout.toNanos();
        FrameView view = new FrameView();
        short[] window = new short[samples];
        int filled = 0;
        long expectedPtsUs = -1;
        while (System.nanoTime() < deadline) {
            if (reader.await(view, Duration.ofMillis(200).toNanos()) != FrameRingReader.FRAME) {
                continue;
            }
            if (expectedPtsUs >= 0 && Math.abs(view.ptsUs() - expectedPtsUs) > 2) {
                filled = 0; // a gap: this window would not be continuous sound
            }
            expectedPtsUs = view.ptsUs() + view.durationUs();
            int n = Math.min(view.sampleCount(), samples - filled);
            for (int i = 0; i < n; i++) {
                window[filled + i] = view.pixels().get(S16_LE, i * 4L);
            }
            if (!reader.stillValid(view)) {
                filled = 0;
                continue;
            }
            filled += n;
            if (filled == samples) {
                if (wanted.test(window)) {
                    return window;
                }
                filled = 0;
            }
        }
        throw new AssertionError("no " + samples + " samples as wanted within " + timeout);
    }

    /** Waits for sound (a 0.1 s window above -40 dBFS), then returns the next {@code samples}: sound settled. */
    static short[] afterSoundStarts(FrameRingReader reader, Duration timeout, int samples) {
        read(reader, timeout, 4_800, s -> rmsDbfs(s) > -40);
        return read(reader, timeout, samples, s -> true);
    }

    static double rmsDbfs(short[] samples) {
        double squares = 0;
        for (short s : samples) {
            squares += (double) s * s;
        }
        return squares == 0 ? Double.NEGATIVE_INFINITY
                : 20 * Math.log10(Math.sqrt(squares / samples.length) / 32768.0);
    }

    static boolean silent(short[] samples) {
        for (short s : samples) {
            if (s != 0) {
                return false;
            }
        }
        return true;
    }

    /** The power of {@code frequency} in the samples (48 kHz), normalised by their count. */
    static double goertzel(short[] samples, double frequency) {
        double coefficient = 2 * Math.cos(2 * Math.PI * frequency / 48_000);
        double previous = 0;
        double beforePrevious = 0;
        for (short s : samples) {
            double current = s / 32768.0 + coefficient * previous - beforePrevious;
            beforePrevious = previous;
            previous = current;
        }
        double power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
        return power / samples.length;
    }
}
