package io.streammanager.composition.audio;

/**
 * The timing of a source heard without its picture (a music bed, or a video whose picture is not on screen): its
 * sound has no picture to follow, so the mixer only keeps a small, steady queue between decoder and clock. It waits
 * until {@link #TARGET_TICKS} ticks of sound are queued before it starts (and again after running dry), and drops
 * back to that depth when more than {@link #MAX_TICKS} ticks pile up (the source ran fast, or came back from a
 * stall with a burst), so the latency stays between about one and four frames.
 */
public final class SteadyLatency {

    static final int TARGET_TICKS = 2;
    static final int MAX_TICKS = 4;

    private boolean buffering = true;

    /**
     * Before reading a tick of {@code count} sample frames with {@code available} queued: how many to drop first
     * (0 or more), or -1 when the tick should be silence (still filling the queue).
     */
    public long beforeRead(int available, int count) {
        if (buffering) {
            if (available < TARGET_TICKS * count) {
                return -1;
            }
            buffering = false;
        }
        if (available > MAX_TICKS * count) {
            return available - (long) TARGET_TICKS * count;
        }
        return 0;
    }

    /** After a read that got only {@code read} of {@code count} sample frames: the queue ran dry, fill it again. */
    public void afterRead(int read, int count) {
        if (read < count) {
            buffering = true;
        }
    }

    public void reset() {
        buffering = true;
    }
}
