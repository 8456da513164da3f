package io.streammanager.bus.control.spec;

import java.util.List;

/** Layers, drawn in order: the first is at the back. */
public record SceneSpec(List<Layer> layers) {

    public static final SceneSpec DEFAULT = new SceneSpec(List.of(
            new BackgroundLayer(null, new Gradient("#0f2027", "#2c5364", "vertical")),
            new ShapeLayer("rectangle", "#ff8800", 160, 120, 240, 180),
            new TextLayer("{name} {clock} frame {frame}", 40, 60, 36, "#ffffff")));

    public SceneSpec {
        layers = layers == null ? List.of() : List.copyOf(layers);
    }
}
