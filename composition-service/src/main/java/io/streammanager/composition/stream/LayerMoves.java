package io.streammanager.composition.stream;

import io.streammanager.bus.control.spec.Transition;
import io.streammanager.composition.scene.SceneLayer;
import io.streammanager.composition.scene.SceneRenderer;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A change animated layer by layer between two compiled scenes, matched by id. Each layer follows its own
 * {@code transition} if its spec names one, else the change's:
 * <ul>
 * <li>{@code move}: a kept layer glides from its old box (place and size: pictures and video; text and shapes take
 * their new place at once) and opacity to the new; an added one fades in at its place;</li>
 * <li>{@code fade}: the layer is at its new place and size at once and its opacity goes from the old (0 when
 * added) to the new;</li>
 * <li>{@code cut}: the new state at once.</li>
 * </ul>
 * A removed layer, drawn from the old scene over the new one, fades out unless its (old) transition or the change
 * is a cut. Each layer has its own duration and easing; the change is over when the longest is. Clock thread only.
 */
final class LayerMoves {

    private record Step(SceneLayer layer, LayerBox from, LayerBox to, SceneTransition timing) {
    }

    private record Leaving(SceneLayer layer, SceneTransition timing) {
    }

    private final SceneRenderer outgoing;
    private final List<Step> steps = new ArrayList<>();
    private final List<Leaving> removed = new ArrayList<>();

    LayerMoves(SceneRenderer outgoing, SceneRenderer incoming, Transition change, long startPtsUs) {
        this.outgoing = outgoing;
        Map<String, SceneLayer> before = new HashMap<>();
        outgoing.layers().forEach(layer -> before.put(layer.id(), layer));
        for (SceneLayer layer : incoming.layers()) {
            SceneLayer old = before.remove(layer.id());
            Transition own = layer.transition() != null ? layer.transition() : change;
            LayerBox to = boxOf(layer, layer.opacity());
            LayerBox from;
            if (old == null) {
                from = to.withOpacity(0);
            } else if ("move".equals(own == null ? null : own.type())) {
                from = boxOf(old, old.opacity());
            } else {
                from = to.withOpacity(old.opacity());
            }
            steps.add(new Step(layer, from, to, SceneTransition.of(own, startPtsUs)));
        }
        for (SceneLayer layer : outgoing.layers()) {
            if (before.containsKey(layer.id())) {
                SceneTransition timing = SceneTransition.of(layer.transition() != null ? layer.transition() : change,
                        startPtsUs);
                if (timing != null) {
                    removed.add(new Leaving(layer, timing));
                }
            }
        }
    }

    /** Whether a change goes layer by layer: a {@code move}, or a layer (new, or leaving) names its own transition. */
    static boolean wanted(Transition change, SceneRenderer outgoing, SceneRenderer incoming) {
        if (change != null && "move".equals(change.type())) {
            return true;
        }
        if (incoming.layers().stream().anyMatch(layer -> layer.transition() != null)) {
            return true;
        }
        Map<String, SceneLayer> after = new HashMap<>();
        incoming.layers().forEach(layer -> after.put(layer.id(), layer));
        return outgoing.layers().stream().anyMatch(layer -> layer.transition() != null && !after.containsKey(layer.id()));
    }

    private static LayerBox boxOf(SceneLayer layer, double opacity) {
        int width = layer.movable() == null ? 0 : layer.movable().width();
        int height = layer.movable() == null ? 0 : layer.movable().height();
        return new LayerBox(layer.x(), layer.y(), width, height, opacity);
    }

    /** Sets every layer of the new scene to its box and opacity at {@code ptsUs}. */
    void apply(long ptsUs) {
        for (Step step : steps) {
            double progress = step.timing() == null ? 1 : step.timing().progress(ptsUs);
            show(step, step.from().towards(step.to(), progress));
        }
    }

    private static void show(Step step, LayerBox box) {
        SceneLayer layer = step.layer();
        layer.painter().opacity(box.opacity());
        if (layer.movable() != null) {
            LayerBox to = step.to();
            layer.movable().place(box.x() - to.x(), box.y() - to.y(),
                    to.width() == 0 ? 1 : (double) box.width() / to.width(),
                    to.height() == 0 ? 1 : (double) box.height() / to.height());
        }
    }

    /** Draws the removed layers still fading over the new scene's frame. */
    void paintRemoved(long ptsUs, MemorySegment pixels, long frameIndex, long captureEpochUs) {
        for (Leaving leaving : removed) {
            if (!leaving.timing().over(ptsUs)) {
                SceneLayer layer = leaving.layer();
                layer.painter().opacity(layer.opacity() * (1 - leaving.timing().progress(ptsUs)));
                outgoing.paintLayer(layer, pixels, frameIndex, ptsUs, captureEpochUs);
            }
        }
    }

    /** Whether every layer has reached its new state at {@code ptsUs}. */
    boolean over(long ptsUs) {
        return steps.stream().allMatch(step -> step.timing() == null || step.timing().over(ptsUs))
                && removed.stream().allMatch(leaving -> leaving.timing().over(ptsUs));
    }

    /** Leaves the new scene's layers as the spec has them. */
    void finish() {
        for (Step step : steps) {
            show(step, step.to());
        }
    }
}
