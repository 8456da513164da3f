package io.streammanager.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProgramSignalTest {

    private static final int RATE = 48_000;

    /** A 1 kHz sine at {@code amplitude}, on for the first half of every second, silent otherwise. */
    private static float[] gatedTone(double amplitude, int seconds) {
        float[] samples = new float[RATE * seconds];
        for (int i = 0; i < samples.length; i++) {
            boolean on = i % RATE < RATE / 2;
            samples[i] = on ? (float) (amplitude * Math.sin(2 * Math.PI * 1000 * i / RATE)) : 0f;
        }
        return samples;
    }

    @Test
    void goertzelFindsTheToneAndNotItsNeighbours() {
        float[] tone = gatedTone(0.5, 1);
        double at1k = ProgramSignal.power(tone, 0, 4800, RATE, 1000);
        assertTrue(at1k > 1000 * ProgramSignal.power(tone, 0, 4800, RATE, 700), "1 kHz over 700 Hz");
        assertTrue(at1k > 1000 * ProgramSignal.power(tone, 0, 4800, RATE, 1500), "1 kHz over 1500 Hz");
    }

    @Test
    void rmsOfASineIsItsAmplitudeOverRootTwo() {
        float[] tone = gatedTone(0.5, 1);
        assertEquals(0.5 / Math.sqrt(2), ProgramSignal.rms(tone, 0, 4800), 1e-3);
        assertEquals(-9.03, ProgramSignal.dbfs(ProgramSignal.rms(tone, 0, 4800)), 0.05);
    }

    @Test
    void soundOnsetsLandOnTheSampleTheToneStarts() {
        List<Integer> onsets = ProgramSignal.soundOnsets(gatedTone(0.5, 3), 240, 0.3);
        assertEquals(2, onsets.size(), "the onsets after a quiet part: " + onsets);
        assertEquals(RATE, onsets.get(0), 48, "within a millisecond");
        assertEquals(2 * RATE, onsets.get(1), 48);
    }

    @Test
    void pictureOnsetsAreTheFramesThatSwitchOn() {
        assertEquals(List.of(2, 5), ProgramSignal.pictureOnsets(List.of(true, false, true, true, false, true)));
    }

    @Test
    void coloursAreToldApartWithCodecMargins() {
        assertEquals(ProgramSignal.Colour.GREEN, ProgramSignal.Colour.of(30, 200, 40));
        assertEquals(ProgramSignal.Colour.RED, ProgramSignal.Colour.of(220, 30, 40));
        assertEquals(ProgramSignal.Colour.WHITE, ProgramSignal.Colour.of(235, 235, 235));
        assertEquals(ProgramSignal.Colour.MAGENTA, ProgramSignal.Colour.of(230, 20, 230));
        assertEquals(ProgramSignal.Colour.YELLOW, ProgramSignal.Colour.of(230, 230, 20));
        assertEquals(ProgramSignal.Colour.DARK, ProgramSignal.Colour.of(20, 20, 30));
    }
}
