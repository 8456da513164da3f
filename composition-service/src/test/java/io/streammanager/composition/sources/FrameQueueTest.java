package io.streammanager.composition.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class FrameQueueTest {

    @Test
    void theClockTakesTheNewestFrameAndCountsTheOlderOnesAsDropped() {
        FrameQueue queue = new FrameQueue(4);
        assertNull(queue.takeNewest());
        publish(queue);
        publish(queue);
        DecodedFrame third = publish(queue);
        assertSame(third, queue.takeNewest());
        assertEquals(2, queue.dropped());
        assertEquals(0, queue.repeated());
        assertSame(third, queue.takeNewest());
        assertEquals(1, queue.repeated(), "a tick without a new frame repeats the last one");
        assertEquals(1, queue.delivered());
    }

    @Test
    void aFullQueueDropsItsOldestFrameAndNeverGrowsPastItsBound() {
        FrameQueue queue = new FrameQueue(2);
        DecodedFrame[] frames = new DecodedFrame[10];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = publish(queue);
        }
        assertEquals(8, queue.dropped());
        assertSame(frames[9], queue.takeNewest());
        assertEquals(9, queue.dropped());
    }

    @Test
    void buffersAreReusedOnceTheClockMovesOn() {
        FrameQueue queue = new FrameQueue(2);
        DecodedFrame a = publish(queue);
        queue.takeNewest();
        publish(queue);
        queue.takeNewest(); // a goes back to the pool
        assertSame(a, queue.claim(4, 4));
    }

    @Test
    void aBufferOfTheWrongSizeIsReplacedWhenTheBoxChanges() {
        FrameQueue queue = new FrameQueue(2);
        publish(queue);
        queue.takeNewest();
        publish(queue);
        queue.takeNewest();
        DecodedFrame resized = queue.claim(8, 6);
        assertEquals(8, resized.width());
        assertEquals(6, resized.height());
    }

    private static DecodedFrame publish(FrameQueue queue) {
        DecodedFrame frame = queue.claim(4, 4);
        queue.publish(frame);
        return frame;
    }
}
