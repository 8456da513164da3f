package io.streammanager.composition.stream;

import io.streammanager.composition.clock.FramePainter;
import io.streammanager.composition.scene.SceneRenderer;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The scene a stream's clock paints, and the one that replaces it. A new scene is compiled off the clock thread and
 * handed over here; the clock takes it at the start of its next frame, so every frame is wholly one scene or the
 * other and none waits for a compile. The clock thread owns the scenes it painted and closes the one it retires.
 */
final class SceneSlot implements FramePainter {

    private final AtomicReference<SceneRenderer> next = new AtomicReference<>();
    private SceneRenderer current; // clock thread only, after construction

    SceneSlot(SceneRenderer initial) {
        this.current = initial;
    }

    /** Hands {@code scene} to the clock; a scene handed over earlier and not yet taken is closed unused. */
    void replaceWith(SceneRenderer scene) {
        SceneRenderer superseded = next.getAndSet(scene);
        if (superseded != null) {
            superseded.close();
        }
    }

    @Override
    public void paint(MemorySegment pixels, long frameIndex, long ptsUs, long captureEpochUs) {
        SceneRenderer incoming = next.getAndSet(null);
        if (incoming != null) {
            SceneRenderer retired = current;
            current = incoming;
            retired.close();
        }
        current.render(pixels, frameIndex, ptsUs, captureEpochUs);
    }

    /** Closes every scene; only once the clock thread has stopped. */
    void close() {
        SceneRenderer pending = next.getAndSet(null);
        if (pending != null) {
            pending.close();
        }
        current.close();
    }
}
