package io.streammanager.bus.control.spec;

/** Fills the frame with one colour ({@code #rrggbb}) or a two-colour gradient: exactly one of them is set. */
public record BackgroundLayer(String color, Gradient gradient) implements Layer {
}
