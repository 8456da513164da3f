package io.streammanager.composition.stream;

import io.streammanager.bus.control.spec.ApplyAt;
import io.streammanager.bus.control.spec.Transition;
import io.streammanager.composition.clock.FramePainter;
import io.streammanager.composition.scene.OpacityPainter;
import io.streammanager.composition.scene.SceneLayer;
import io.streammanager.composition.scene.SceneRenderer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The scene a stream's clock paints, and the one that replaces it. A new scene is compiled off the clock thread and
 * handed over here; the clock takes it at the start of the first frame at or after its {@code applyAt} (the next
 * frame without one), so every frame is wholly one scene or the other and none waits for a compile. With a
 * {@code fade} transition the old scene keeps being drawn under the new one for the transition's duration and the
 * new one dissolves in over it, and so does the sound of the layers only one of them has (a layer in both keeps its
 * sound whole); with {@code move}, or when a layer names its own transition, the change goes layer
 * by layer ({@link LayerMoves}). The clock thread owns the scenes it painted and closes the ones
 * it retires.
 */
final class SceneSlot implements FramePainter {

    /** A compiled scene waiting for its frame. */
    record Pending(SceneRenderer scene, ApplyAt applyAt, Transition transition, Runnable onRetired) {

        boolean due(long ptsUs, long captureEpochUs) {
            if (applyAt == null) {
                return true;
            }
            if (applyAt.ptsUs() != null) {
                return ptsUs >= applyAt.ptsUs();
            }
            return applyAt.epochMs() == null || captureEpochUs / 1000 >= applyAt.epochMs();
        }
    }

    private final AtomicReference<Pending> next = new AtomicReference<>();
    private final Arena arena = Arena.ofShared();
    private SceneRenderer current; // clock thread only, after construction
    private SceneRenderer outgoing; // clock thread only: the scene a transition leaves
    private SceneTransition transition;
    private LayerMoves moves; // during a move transition: outgoing is only drawn for its removed layers
    private Runnable onOutgoingRetired;
    private MemorySegment scratch;
    private final List<OpacityPainter> soundingOut = new ArrayList<>(); // during a dissolve: layers only the old has
    private final List<OpacityPainter> soundingIn = new ArrayList<>(); // and only the new has
    private volatile long lastSwapPtsUs = -1;

    SceneSlot(SceneRenderer initial) {
        this.current = initial;
    }

    void replaceWith(SceneRenderer scene) {
        replaceWith(scene, null, null, () -> { });
    }

    void replaceWith(SceneRenderer scene, ApplyAt applyAt, Transition transition) {
        replaceWith(scene, applyAt, transition, () -> { });
    }

    /**
     * Hands {@code scene} to the clock; a scene handed over earlier and not yet taken is closed unused.
     * {@code onRetired} runs on the clock thread once the scene before it is no longer drawn (at the swap, or at the
     * end of its transition): it must not block.
     */
    void replaceWith(SceneRenderer scene, ApplyAt applyAt, Transition transition, Runnable onRetired) {
        Pending superseded = next.getAndSet(new Pending(scene, applyAt, transition, onRetired));
        if (superseded != null) {
            superseded.scene().close();
        }
    }

    @Override
    public void paint(MemorySegment pixels, long frameIndex, long ptsUs, long captureEpochUs) {
        Pending incoming = next.get();
        if (incoming != null && incoming.due(ptsUs, captureEpochUs) && next.compareAndSet(incoming, null)) {
            swapIn(incoming, ptsUs);
        }
        if (outgoing == null) {
            current.render(pixels, frameIndex, ptsUs, captureEpochUs);
            return;
        }
        if (moves != null ? moves.over(ptsUs) : transition.over(ptsUs)) {
            endTransition();
            current.render(pixels, frameIndex, ptsUs, captureEpochUs);
            return;
        }
        if (moves != null) {
            moves.apply(ptsUs);
            current.render(pixels, frameIndex, ptsUs, captureEpochUs);
            moves.paintRemoved(ptsUs, pixels, frameIndex, captureEpochUs);
            return;
        }
        double progress = transition.progress(ptsUs);
        for (OpacityPainter painter : soundingOut) {
            painter.soundWeight(1 - progress);
        }
        for (OpacityPainter painter : soundingIn) {
            painter.soundWeight(progress);
        }
        long size = current.frameBytes();
        if (scratch == null) {
            scratch = arena.allocate(size);
        }
        outgoing.render(scratch, frameIndex, ptsUs, captureEpochUs);
        current.render(pixels, frameIndex, ptsUs, captureEpochUs);
        OpacityPainter.mix(scratch, pixels, size, (int) Math.round(progress * 255));
    }

    private void swapIn(Pending incoming, long ptsUs) {
        if (outgoing != null) {
            endTransition(); // a change during a transition cuts the older one short
        }
        SceneTransition starting = null;
        LayerMoves layered = null;
        if (LayerMoves.wanted(incoming.transition(), current, incoming.scene())) {
            layered = new LayerMoves(current, incoming.scene(), incoming.transition(), ptsUs);
            if (layered.over(ptsUs)) {
                layered.finish(); // every layer cuts
                layered = null;
            }
        } else {
            starting = SceneTransition.of(incoming.transition(), ptsUs);
        }
        if (starting == null && layered == null) {
            current.close();
            incoming.onRetired().run();
        } else {
            onOutgoingRetired = incoming.onRetired();
            outgoing = current;
            transition = starting;
            moves = layered;
            if (moves != null) {
                moves.apply(ptsUs);
            }
        }
        if (starting != null) {
            onlyIn(current, incoming.scene(), soundingOut);
            onlyIn(incoming.scene(), current, soundingIn);
        }
        current = incoming.scene();
        lastSwapPtsUs = ptsUs;
    }

    /** Adds the painters of {@code scene}'s layers that {@code other} has no layer of the same id for. */
    private static void onlyIn(SceneRenderer scene, SceneRenderer other, List<OpacityPainter> into) {
        Set<String> ids = new HashSet<>();
        other.layers().forEach(layer -> ids.add(layer.id()));
        for (SceneLayer layer : scene.layers()) {
            if (!ids.contains(layer.id())) {
                into.add(layer.painter());
            }
        }
    }

    private void endTransition() {
        soundingIn.forEach(painter -> painter.soundWeight(1));
        soundingIn.clear();
        soundingOut.clear();
        if (moves != null) {
            moves.finish();
            moves = null;
        }
        outgoing.close();
        outgoing = null;
        if (onOutgoingRetired != null) {
            onOutgoingRetired.run();
            onOutgoingRetired = null;
        }
    }

    /** The pts of the frame that first showed the newest scene taken, or -1 before any change. */
    long lastSwapPtsUs() {
        return lastSwapPtsUs;
    }

    /** Closes every scene; only once the clock thread has stopped. */
    void close() {
        Pending pending = next.getAndSet(null);
        if (pending != null) {
            pending.scene().close();
        }
        if (outgoing != null) {
            outgoing.close();
        }
        current.close();
        arena.close();
    }
}
