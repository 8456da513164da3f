package io.streammanager.composition.scene;

/**
 * One compiled layer of a scene with what a transition needs to know about it: its id, its place and opacity in
 * the spec, its painter (behind an {@link OpacityPainter}, so its opacity can be animated) and, if it can glide,
 * its {@link Movable}.
 */
public record SceneLayer(String id, int x, int y, double opacity, OpacityPainter painter, Movable movable) {
}
