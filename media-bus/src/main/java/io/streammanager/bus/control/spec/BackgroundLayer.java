package io.streammanager.bus.control.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Fills the frame with one colour ({@code #rrggbb}) or a two-colour gradient: exactly one of them is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackgroundLayer(String id, String color, Gradient gradient, Double opacity, Boolean visible,
                              Transition transition) implements Layer {

    public BackgroundLayer(String id, String color, Gradient gradient, Double opacity, Boolean visible) {
        this(id, color, gradient, opacity, visible, null);
    }

    public BackgroundLayer(String color, Gradient gradient) {
        this(null, color, gradient, null, null, null);
    }

    @Override
    public BackgroundLayer withId(String newId) {
        return new BackgroundLayer(newId, color, gradient, opacity, visible, transition);
    }
}
