package io.streammanager.composition.stream;

import io.streammanager.composition.scene.SceneLayer;
import io.streammanager.composition.scene.SceneRenderer;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code move} transition between two compiled scenes, matched by layer id: a layer in both glides from its old
 * place to its new one (pictures and video; text and shapes take their new place at once) while its opacity goes
 * from the old value to the new; an added layer fades in; a removed layer, drawn from the old scene over the new
 * one, fades out. Clock thread only.
 */
final class LayerMoves {

    private record Move(SceneLayer layer, int dx, int dy, double fromOpacity) {
    }

    private final SceneRenderer outgoing;
    private final List<Move> moves = new ArrayList<>();
    private final List<SceneLayer> removed = new ArrayList<>();

    LayerMoves(SceneRenderer outgoing, SceneRenderer incoming) {
        this.outgoing = outgoing;
        Map<String, SceneLayer> before = new HashMap<>();
        outgoing.layers().forEach(layer -> before.put(layer.id(), layer));
        for (SceneLayer layer : incoming.layers()) {
            SceneLayer old = before.remove(layer.id());
            if (old == null) {
                moves.add(new Move(layer, 0, 0, 0.0));
            } else {
                moves.add(new Move(layer, old.x() - layer.x(), old.y() - layer.y(), old.opacity()));
            }
        }
        for (SceneLayer layer : outgoing.layers()) {
            if (before.containsKey(layer.id())) {
                removed.add(layer);
            }
        }
    }

    /** Sets every kept or added layer of the new scene to where and how opaque it is at {@code progress}. */
    void apply(double progress) {
        double rest = 1 - progress;
        for (Move move : moves) {
            SceneLayer layer = move.layer();
            layer.painter().opacity(move.fromOpacity() + (layer.opacity() - move.fromOpacity()) * progress);
            if (layer.movable() != null) {
                layer.movable().shift((int) Math.round(move.dx() * rest), (int) Math.round(move.dy() * rest));
            }
        }
    }

    /** Draws the removed layers, fading, over the new scene's frame. */
    void paintRemoved(double progress, MemorySegment pixels, long frameIndex, long ptsUs, long captureEpochUs) {
        for (SceneLayer layer : removed) {
            layer.painter().opacity(layer.opacity() * (1 - progress));
            outgoing.paintLayer(layer, pixels, frameIndex, ptsUs, captureEpochUs);
        }
    }

    /** Leaves the new scene's layers as the spec has them. */
    void finish() {
        apply(1.0);
    }

    SceneRenderer outgoing() {
        return outgoing;
    }
}
