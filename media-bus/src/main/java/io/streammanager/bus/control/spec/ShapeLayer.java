package io.streammanager.bus.control.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A {@code rectangle} or {@code circle} of {@code width} x {@code height} pixels starting at ({@code x}, {@code y})
 * (default the top-left corner), moving at {@code speedX}, {@code speedY} pixels per second and bouncing off the
 * frame edges.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShapeLayer(String id, String shape, String color, int width, int height, double speedX, double speedY,
                         Integer x, Integer y, Double opacity, Boolean visible, Transition transition)
        implements Layer {

    public ShapeLayer(String id, String shape, String color, int width, int height, double speedX, double speedY,
                      Integer x, Integer y, Double opacity, Boolean visible) {
        this(id, shape, color, width, height, speedX, speedY, x, y, opacity, visible, null);
    }

    public ShapeLayer(String shape, String color, int width, int height, double speedX, double speedY) {
        this(null, shape, color, width, height, speedX, speedY, null, null, null, null, null);
    }

    @Override
    public ShapeLayer withId(String newId) {
        return new ShapeLayer(newId, shape, color, width, height, speedX, speedY, x, y, opacity, visible,
                transition);
    }
}
