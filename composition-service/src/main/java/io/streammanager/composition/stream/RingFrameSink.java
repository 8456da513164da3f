package io.streammanager.composition.stream;

import io.streammanager.bus.shm.FrameRingWriter;
import io.streammanager.composition.clock.FrameSink;
import java.lang.foreign.MemorySegment;

/** The frame ring as the clock's sink: the clock thread is the ring's single producer. */
final class RingFrameSink implements FrameSink {

    private final FrameRingWriter writer;

    RingFrameSink(FrameRingWriter writer) {
        this.writer = writer;
    }

    @Override
    public MemorySegment claim() {
        return writer.claim();
    }

    @Override
    public long publish(long ptsUs, long captureEpochUs) {
        return writer.publish(ptsUs, captureEpochUs);
    }

    @Override
    public void heartbeat() {
        writer.heartbeat();
    }
}
