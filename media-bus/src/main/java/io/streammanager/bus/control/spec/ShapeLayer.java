package io.streammanager.bus.control.spec;

/**
 * A {@code rectangle} or {@code circle} of {@code width} x {@code height} pixels moving at {@code speedX},
 * {@code speedY} pixels per second and bouncing off the frame edges.
 */
public record ShapeLayer(String shape, String color, int width, int height, double speedX, double speedY) implements Layer {
}
