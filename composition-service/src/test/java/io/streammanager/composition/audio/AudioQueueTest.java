package io.streammanager.composition.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ShortBuffer;
import org.junit.jupiter.api.Test;

class AudioQueueTest {

    @Test
    void theHeadCarriesTheSourceTimeOfTheNextSampleAcrossChunks() {
        AudioQueue queue = new AudioQueue(48_000);
        assertEquals(Long.MIN_VALUE, queue.headUs());
        queue.write(chunk(960, 1), 960, 1_000_000); // 20 ms from 1 s
        queue.write(chunk(960, 2), 960, 1_020_000);
        assertEquals(1_000_000, queue.headUs());
        short[] into = new short[480 * 2];
        assertEquals(480, queue.read(into, 0, 480));
        assertEquals(1, into[0]);
        assertEquals(1_010_000, queue.headUs());
        assertEquals(960, queue.skip(960));
        assertEquals(1_030_000, queue.headUs(), "inside the second chunk");
        assertEquals(480, queue.available());
        assertEquals(960, queue.droppedFrames(), "skipped samples count as dropped");
    }

    @Test
    void aNewTimelineQueuedBehindTheOldOnesTailIsFound() {
        AudioQueue queue = new AudioQueue(48_000);
        queue.write(chunk(960, 1), 960, 4_980_000); // a loop's last 20 ms
        queue.write(chunk(960, 2), 960, 0); // and the next loop's first 40 ms
        queue.write(chunk(960, 3), 960, 20_000);
        assertEquals(960 + 480, queue.framesBefore(10_000), "10 ms into the new timeline");
        assertEquals(960, queue.framesOnTimeline(), "the old timeline ends after its 20 ms");
        assertEquals(960 + 960 + 240, queue.framesBefore(25_000));
        assertEquals(-1, queue.framesBefore(4_990_000), "only the newest timeline counts");
        assertEquals(-1, queue.framesBefore(60_000), "not queued yet");
        assertEquals(960, queue.framesBefore(-5_000), "before the new timeline's first sound: at its start");
        queue.skip(1200);
        assertEquals(-1, queue.framesBefore(0), "already playing");
        assertEquals(2 * 960 - 240, queue.framesOnTimeline(), "on the new one: all of it");
    }

    @Test
    void aFullQueueDropsTheOldestAndCountsThem() {
        AudioQueue queue = new AudioQueue(1000);
        queue.write(chunk(600, 1), 600, 0);
        queue.write(chunk(600, 2), 600, 12_500); // 200 of the first chunk's frames must go
        assertEquals(1000, queue.available());
        assertEquals(200, queue.droppedFrames());
        assertEquals(200 * 1_000_000L / 48_000, queue.headUs());
        short[] into = new short[1000 * 2];
        assertEquals(1000, queue.read(into, 0, 1000));
        assertEquals(1, into[0]);
        assertEquals(1, into[399 * 2 + 1]);
        assertEquals(2, into[400 * 2], "the ring wraps in order");
        assertEquals(2, into[999 * 2 + 1]);
        assertEquals(0, queue.read(into, 0, 10));
    }

    private static ShortBuffer chunk(int frames, int value) {
        short[] samples = new short[frames * 2];
        java.util.Arrays.fill(samples, (short) value);
        return ShortBuffer.wrap(samples);
    }
}
