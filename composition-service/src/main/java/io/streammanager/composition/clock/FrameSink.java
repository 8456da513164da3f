package io.streammanager.composition.clock;

import java.lang.foreign.MemorySegment;

/** Where a clock's frames go: the frame ring writer in production, a fake in tests. Used by the clock thread only. */
public interface FrameSink {

    /** The next frame's pixels, to render in place. */
    MemorySegment claim();

    /** Makes the claimed frame visible; returns its sequence. */
    long publish(long ptsUs, long captureEpochUs);

    /** Proves the producer alive even when no frame is published. */
    void heartbeat();
}
