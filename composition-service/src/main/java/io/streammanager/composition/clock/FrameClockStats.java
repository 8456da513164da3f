package io.streammanager.composition.clock;

/**
 * Counters of one frame clock. Written only by the clock thread (so plain increments of volatile fields are
 * safe), read by anyone: metrics, health checks, tests.
 */
public final class FrameClockStats {

    private volatile long frames;
    private volatile long lateFrames;
    private volatile long droppedFrames;
    private volatile long failedFrames;
    private volatile long lastFrameNanos;
    private volatile long lastFrameIndex = -1;

    void frameRendered(long frameIndex, long nowNanos) {
        frames = frames + 1;
        lastFrameIndex = frameIndex;
        lastFrameNanos = nowNanos;
    }

    void frameLate() {
        lateFrames = lateFrames + 1;
    }

    void framesDropped(long count) {
        droppedFrames = droppedFrames + count;
    }

    void frameFailed() {
        failedFrames = failedFrames + 1;
    }

    public long frames() {
        return frames;
    }

    public long lateFrames() {
        return lateFrames;
    }

    public long droppedFrames() {
        return droppedFrames;
    }

    public long failedFrames() {
        return failedFrames;
    }

    /** {@link System#nanoTime()} of the last published frame, or 0 before the first. */
    public long lastFrameNanos() {
        return lastFrameNanos;
    }

    public long lastFrameIndex() {
        return lastFrameIndex;
    }
}
