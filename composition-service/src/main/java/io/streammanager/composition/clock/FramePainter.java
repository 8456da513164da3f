package io.streammanager.composition.clock;

import java.lang.foreign.MemorySegment;

/** Draws frame {@code frameIndex} into {@code pixels}; runs on the clock thread and must not block. */
@FunctionalInterface
public interface FramePainter {

    void paint(MemorySegment pixels, long frameIndex, long ptsUs, long captureEpochUs);
}
