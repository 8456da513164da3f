package io.streammanager.composition.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_buffer_get_ref_count;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;

import org.bytedeco.ffmpeg.avutil.AVFrame;
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
        assertSame(a, queue.claim());
    }

    @Test
    void aBufferOfTheWrongSizeIsReplacedWhenTheBoxChanges() {
        FrameQueue queue = new FrameQueue(2);
        publish(queue);
        queue.takeNewest();
        publish(queue);
        queue.takeNewest();
        DecodedFrame resized = queue.claim();
        resized.scaled(8, 6);
        assertEquals(8, resized.width());
        assertEquals(6, resized.height());
    }

    @Test
    void aReferencedDecoderFrameIsHeldWhileQueuedOrShownAndLetGoWhenTheClockMovesOn() {
        FrameQueue queue = new FrameQueue(2);
        AVFrame decoded = decoderFrame(64, 36);
        try {
            DecodedFrame first = queue.claim();
            assertTrue(first.reference(decoded));
            assertEquals(2, refs(decoded), "the decoder's and the queued frame's");
            assertEquals(decoded.data(0).address(), first.plane(0).address(), "no copy: the decoder's own pixels");
            assertEquals(decoded.linesize(0), first.stride(0));
            queue.publish(first);
            assertSame(first, queue.takeNewest());
            assertEquals(2, refs(decoded), "on screen");
            DecodedFrame second = queue.claim();
            second.scaled(64, 36);
            queue.publish(second);
            assertSame(second, queue.takeNewest());
            assertEquals(1, refs(decoded), "off screen: released");
            DecodedFrame third = queue.claim();
            assertTrue(third.reference(decoded));
            queue.publish(third);
            assertEquals(2, refs(decoded));
            queue.close(); // the source ended: what is queued is closed, the one on screen stays the clock's
            assertEquals(1, refs(decoded));
            assertEquals(64, second.width(), "the frame on screen is still readable");
        } finally {
            av_frame_free(decoded);
        }
    }

    @Test
    void aFrameScaledAfterAReferenceOfAnotherSizeGetsABufferOfItsOwnSize() {
        AVFrame decoded = decoderFrame(64, 36);
        try {
            DecodedFrame frame = new DecodedFrame();
            frame.scaled(16, 8); // a small buffer first
            assertTrue(frame.reference(decoded)); // then a larger frame by reference
            frame.release();
            assertEquals(64 * 36 * 3 / 2, frame.scaled(64, 36).capacity(), "not the 16x8 buffer");
            frame.close();
        } finally {
            av_frame_free(decoded);
        }
    }

    /** A refcounted I420 frame as a decoder hands it out. */
    static AVFrame decoderFrame(int width, int height) {
        AVFrame frame = av_frame_alloc();
        frame.format(AV_PIX_FMT_YUV420P).width(width).height(height);
        assertEquals(0, av_frame_get_buffer(frame, 0));
        return frame;
    }

    private static int refs(AVFrame frame) {
        return av_buffer_get_ref_count(frame.buf(0));
    }

    private static DecodedFrame publish(FrameQueue queue) {
        DecodedFrame frame = queue.claim();
        frame.scaled(4, 4);
        queue.publish(frame);
        return frame;
    }
}
