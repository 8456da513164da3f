package io.streammanager.composition.clock;

/** Told about every tick of a frame clock, on the clock thread: implementations must be cheap and never block. */
public interface ClockListener {

    ClockListener NONE = new ClockListener() {
    };

    /** A frame was rendered and published; {@code renderNs} is paint plus publish time. */
    default void frameRendered(long renderNs) {
    }

    /** The frame started later than its due time by more than the clock's tolerance. */
    default void frameLate() {
    }

    /** {@code frames} slots were skipped because the clock fell more than a frame behind. */
    default void framesDropped(long frames) {
    }

    /** Painting a frame failed; the frame was not published. */
    default void frameFailed(RuntimeException error) {
    }
}
