package io.streammanager.composition.sources;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hand-over between one source's decoder thread and the frame clock: a bounded queue of decoded frames
 * ({@code maxQueueSize}) and a pool of free frames (released: holding no decoder buffer). Neither side ever waits.
 * The decoder takes a free frame (or, if every frame is queued, reuses the oldest queued one: dropped, counted);
 * the clock takes the newest queued frame, drops the older ones (counted) and gives back the one it showed before.
 * A clock tick with nothing new repeats the frame it has (counted): that is the resampling in time to the stream's
 * rate.
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

    /** Decoder thread: a released frame to fill. */
    DecodedFrame claim() {
        DecodedFrame frame = free.poll();
        if (frame == null && allocated < poolSize) {
            allocated++;
            return new DecodedFrame();
        }
        if (frame == null) {
            frame = ready.poll();
            if (frame != null) {
                dropped.increment();
                frame.release();
            }
        }
        // nothing free or queued (the clock holds the rest): one more, which the pool keeps only if it has room
        return frame == null ? new DecodedFrame() : frame;
    }

    /** Decoder thread: gives back a claimed frame that could not be filled. */
    void unclaimed(DecodedFrame frame) {
        frame.release();
        free.offer(frame);
    }

    /** Decoder thread: hands a filled frame to the clock; when the queue is full the oldest is dropped. */
    void publish(DecodedFrame frame) {
        while (!ready.offer(frame)) {
            DecodedFrame oldest = ready.poll();
            if (oldest != null) {
                dropped.increment();
                oldest.release();
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
            newest.release();
            free.offer(newest);
            newest = newer;
        }
        if (shown != null) {
            shown.release();
            free.offer(shown);
        }
        shown = newest;
        delivered.increment();
        return newest;
    }

    /**
     * Decoder thread, once its source has ended: closes every frame queued or free. The one on screen stays the
     * clock's (see {@link DecodedFrame}); a frame the clock gives back later is released then and freed with it.
     */
    void close() {
        for (DecodedFrame frame; (frame = ready.poll()) != null; ) {
            frame.close();
        }
        for (DecodedFrame frame; (frame = free.poll()) != null; ) {
            frame.close();
        }
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
