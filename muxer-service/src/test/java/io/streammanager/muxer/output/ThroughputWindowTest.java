package io.streammanager.muxer.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ThroughputWindowTest {

    @Test
    void bitrateIsTheLastTenSecondsAveraged() {
        ThroughputWindow window = new ThroughputWindow();
        long startMs = 1_000_000;
        for (int second = 0; second < 10; second++) {
            window.record(startMs + second * 1000L, 125_000); // 1 Mbit/s
        }
        assertEquals(1_000_000, window.bitsPerSecond(startMs + 9_500));
        // a silent second pushes the oldest one out
        assertEquals(900_000, window.bitsPerSecond(startMs + 10_000));
        assertEquals(0, window.bitsPerSecond(startMs + 30_000), "nothing written for 20 s");
    }

    @Test
    void aBucketIsReusedForItsNewSecond() {
        ThroughputWindow window = new ThroughputWindow();
        window.record(0, 1_000);
        window.record(11_000, 2_000); // the same slot, 11 s later: the old bytes are gone
        assertEquals(2_000 * 8 / 10, window.bitsPerSecond(11_000));
    }
}
