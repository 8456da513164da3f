package io.streammanager.composition.clock;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A frame sink that remembers what was published. */
final class RecordingSink implements FrameSink {

    record Published(long ptsUs, long captureEpochUs) {
    }

    final List<Published> published = new CopyOnWriteArrayList<>();
    volatile int heartbeats;
    private final MemorySegment frame = Arena.ofAuto().allocate(64);

    @Override
    public MemorySegment claim() {
        return frame;
    }

    @Override
    public long publish(long ptsUs, long captureEpochUs) {
        published.add(new Published(ptsUs, captureEpochUs));
        return published.size();
    }

    @Override
    public void heartbeat() {
        heartbeats++;
    }
}
