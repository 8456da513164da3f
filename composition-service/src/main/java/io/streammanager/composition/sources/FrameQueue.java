package io.streammanager.composition.sources;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hand-over between one source's decoder thread and the frame clock: a bounded queue of decoded frames
 * ({@code maxQueueSize}) and a pool of free buffers. Neither side ever waits. The decoder takes a free buffer (or,
 * if every buffer is queued, reuses the oldest queued frame: dropped, counted); the clock takes the newest queued
 * frame, drops the older ones (counted) and gives back the one it showed before. A clock tick with nothing new
 * repeats the frame it has (counted): that is the resampling in time to the stream's rate.
 */
final class FrameQueue {

    private final ArrayBlockingQueue<DecodedFrame> ready;
    private final ArrayBlockingQueue<DecodedFrame> free;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder repeated = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final int poolSize;
    private int allocated; // decoder thread only
    private DecodedFrame shown; // clock thread only

    FrameQueue(int maxQueueSize) {
        this.ready = new ArrayBlockingQueue<>(maxQueueSize);
        // every queued frame, the one on screen, and the one being decoded into
        this.poolSize = maxQueueSize + 2;
        this.free = new ArrayBlockingQueue<>(poolSize);
    }

    /** Decoder thread: a buffer of {@code width} x {@code height} to decode into. */
    DecodedFrame claim(int width, int height) {
        DecodedFrame frame = free.poll();
        if (frame == null && allocated < poolSize) {
            allocated++;
            return new DecodedFrame(width, height);
        }
        if (frame == null) {
            frame = ready.poll();
            if (frame != null) {
                dropped.increment();
            }
        }
        if (frame == null || !frame.fits(width, height)) {
            frame = new DecodedFrame(width, height); // the pool grows to its bound, or changes size with the box
        }
        return frame;
    }

    /** Decoder thread: hands a filled frame to the clock; when the queue is full the oldest is dropped. */
    void publish(DecodedFrame frame) {
        while (!ready.offer(frame)) {
            DecodedFrame oldest = ready.poll();
            if (oldest != null) {
                dropped.increment();
                free.offer(oldest);
            }
        }
    }

    /** Clock thread: the newest frame, or the one shown last when nothing new came (null before the first). */
    DecodedFrame takeNewest() {
        DecodedFrame newest = ready.poll();
        if (newest == null) {
            if (shown != null) {
                repeated.increment();
            }
            return shown;
        }
        for (DecodedFrame newer; (newer = ready.poll()) != null; ) {
            dropped.increment();
            free.offer(newest);
            newest = newer;
        }
        if (shown != null) {
            free.offer(shown);
        }
        shown = newest;
        delivered.increment();
        return newest;
    }

    /** Clock thread: the frame shown last (to tell a new frame from a repeat). */
    DecodedFrame shownForWatch() {
        return shown;
    }

    long dropped() {
        return dropped.sum();
    }

    long repeated() {
        return repeated.sum();
    }

    long delivered() {
        return delivered.sum();
    }
}
