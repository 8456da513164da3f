package io.streammanager.composition.scene;

import io.streammanager.bus.control.spec.Transition;

/**
 * One compiled layer of a scene with what a transition needs to know about it: its id, its place and opacity in
 * the spec, its painter (behind an {@link OpacityPainter}, so its opacity can be animated), if it can glide or
 * change size its {@link Movable}, and its own {@code transition} from the spec (null: the change's).
 */
public record SceneLayer(String id, int x, int y, double opacity, OpacityPainter painter, Movable movable,
                         Transition transition) {

    public SceneLayer(String id, int x, int y, double opacity, OpacityPainter painter, Movable movable) {
        this(id, x, y, opacity, painter, movable, null);
    }
}
