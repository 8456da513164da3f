package io.streammanager.system;

import java.util.ArrayList;
import java.util.List;

/**
 * Pure measurements on a decoded program: colours at points of small RGB pictures, the power of one frequency
 * (Goertzel), RMS level, and the instants where a picture point or the sound switches on. No I/O.
 */
final class ProgramSignal {

    private ProgramSignal() {
    }

    /** The colour classes the scene tests paint with, told apart with margins wide enough for two lossy codecs. */
    enum Colour {
        GREEN, RED, WHITE, MAGENTA, YELLOW, DARK, OTHER;

        static Colour of(int r, int g, int b) {
            if (r > 190 && g > 190 && b > 190) {
                return WHITE;
            }
            if (r > 180 && g > 180 && b < 90) {
                return YELLOW;
            }
            if (r > 160 && b > 160 && g < 90) {
                return MAGENTA;
            }
            if (g > 150 && r < 90 && b < 90) {
                return GREEN;
            }
            if (r > 150 && g < 90 && b < 90) {
                return RED;
            }
            if (r < 60 && g < 60 && b < 60) {
                return DARK;
            }
            return OTHER;
        }
    }

    /** The colour at ({@code x}, {@code y}) of a packed RGB24 picture {@code width} wide. */
    static Colour colourAt(byte[] rgb, int width, int x, int y) {
        int i = 3 * (y * width + x);
        return Colour.of(rgb[i] & 0xFF, rgb[i + 1] & 0xFF, rgb[i + 2] & 0xFF);
    }

    /** Power of {@code frequencyHz} in {@code samples[from, from + length)} (Goertzel), normalised by length². */
    static double power(float[] samples, int from, int length, int sampleRate, double frequencyHz) {
        double coefficient = 2 * Math.cos(2 * Math.PI * frequencyHz / sampleRate);
        double previous = 0;
        double beforePrevious = 0;
        for (int i = from; i < from + length; i++) {
            double current = samples[i] + coefficient * previous - beforePrevious;
            beforePrevious = previous;
            previous = current;
        }
        double power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
        return power / ((double) length * length);
    }

    static double rms(float[] samples, int from, int length) {
        double sum = 0;
        for (int i = from; i < from + length; i++) {
            sum += samples[i] * samples[i];
        }
        return Math.sqrt(sum / length);
    }

    static double dbfs(double rms) {
        return 20 * Math.log10(Math.max(rms, 1e-9));
    }

    /**
     * Sample indices where the sound switches on: the RMS of consecutive {@code windowSamples} windows rises to at
     * least {@code onLevel} from below {@code onLevel / 4}; the index is refined to the window's first sample over
     * half the on level's peak.
     */
    static List<Integer> soundOnsets(float[] samples, int windowSamples, double onLevel) {
        List<Integer> onsets = new ArrayList<>();
        boolean quiet = false;
        for (int start = 0; start + windowSamples <= samples.length; start += windowSamples) {
            double level = rms(samples, start, windowSamples);
            if (level < onLevel / 4) {
                quiet = true;
            } else if (quiet && level >= onLevel) {
                int first = start - windowSamples;
                double threshold = onLevel * Math.sqrt(2) / 2; // half the peak of a sine at onLevel RMS
                int onset = start;
                for (int i = Math.max(0, first); i < start + windowSamples; i++) {
                    if (Math.abs(samples[i]) >= threshold) {
                        onset = i;
                        break;
                    }
                }
                onsets.add(onset);
                quiet = false;
            }
        }
        return onsets;
    }

    /** Indices of the frames where {@code on} becomes true after a false one. */
    static List<Integer> pictureOnsets(List<Boolean> on) {
        List<Integer> onsets = new ArrayList<>();
        for (int i = 1; i < on.size(); i++) {
            if (on.get(i) && !on.get(i - 1)) {
                onsets.add(i);
            }
        }
        return onsets;
    }
}
