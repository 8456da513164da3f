package io.streammanager.gateway.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RateMeterTest {

    private static final long SECOND = RateMeter.WINDOW_NS;

    @Test
    void reportsTheLastFullWindowsRate() {
        RateMeter meter = new RateMeter();
        assertEquals(0, meter.bitsPerSecond(0), "nothing observed yet");
        long t = 5 * SECOND;
        // 2.5 Mbit/s as 30 messages a second of 10416 bytes (+ rounding), over one window
        for (int i = 0; i < 30; i++) {
            meter.observe(t + i * SECOND / 30, 10_417);
        }
        assertEquals(0, meter.bitsPerSecond(t + SECOND - 1), "the first window is not complete yet");
        meter.observe(t + SECOND, 10_417); // closes the first window
        assertEquals(30 * 10_417 * 8.0, meter.bitsPerSecond(t + SECOND + 1), 1.0);
    }

    @Test
    void aWindowLongerThanOneSecondIsAveragedOverItsLength() {
        RateMeter meter = new RateMeter();
        meter.observe(0, 1_000);
        meter.observe(SECOND / 2, 1_000);
        meter.observe(2 * SECOND, 0); // the window ran two seconds with 2000 bytes in it
        assertEquals(2_000 * 8.0 / 2, meter.bitsPerSecond(2 * SECOND), 0.001);
    }

    @Test
    void readsZeroOnceThePublisherWentQuiet() {
        RateMeter meter = new RateMeter();
        meter.observe(0, 1_000);
        meter.observe(SECOND, 1_000);
        assertEquals(8_000, meter.bitsPerSecond(SECOND + 1), 0.001);
        assertEquals(8_000, meter.bitsPerSecond(3 * SECOND - 1), 0.001, "still within two windows of the last one");
        assertEquals(0, meter.bitsPerSecond(3 * SECOND), "two windows without a message");
    }
}
