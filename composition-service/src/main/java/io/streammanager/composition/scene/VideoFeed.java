package io.streammanager.composition.scene;

/**
 * A video source as the frame clock sees it. {@link #frameForClock()} is called once per output frame on the clock
 * thread and never blocks: it returns the newest decoded frame (dropping older ones, counted), or the one shown last
 * when nothing new arrived (a repeat, counted), or null before the first frame.
 */
public interface VideoFeed {

    VideoFrame frameForClock();

    /** {@link System#nanoTime()} when the newest frame arrived, or 0 before the first. */
    long lastFrameNs();

    /** Whether the source is delivering frames now. */
    boolean live();

    /**
     * The size the layer on screen wants frames at; called by the clock each frame, so that a scene waiting for its
     * {@code applyAt} does not resize the frames the current scene still shows. A few frames already decoded at
     * the old size may follow a change.
     */
    default void size(int width, int height) {
    }
}
