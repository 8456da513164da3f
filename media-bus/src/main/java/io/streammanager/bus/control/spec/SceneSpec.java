package io.streammanager.bus.control.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Layers, drawn in order (the first is at the back), an optional {@code slate} for when a primary source is down,
 * and, for a change of a running stream, an optional {@code transition} and {@code applyAt}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SceneSpec(List<Layer> layers, Slate slate, Transition transition, ApplyAt applyAt) {

    public static final SceneSpec DEFAULT = new SceneSpec(List.of(
            new BackgroundLayer(null, new Gradient("#0f2027", "#2c5364", "vertical")),
            new ShapeLayer("rectangle", "#ff8800", 160, 120, 240, 180),
            new TextLayer("{name} {clock} frame {frame}", 40, 60, 36, "#ffffff"))).withLayerIds();

    public SceneSpec {
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    public SceneSpec(List<Layer> layers) {
        this(layers, null, null, null);
    }

    /**
     * This scene with every layer that has no id named {@code <type>-<index>} (e.g. {@code text-2}), so that specs
     * written before layers had ids stay valid. A generated name already taken by another layer gets a suffix.
     */
    public SceneSpec withLayerIds() {
        if (layers.stream().allMatch(l -> l.id() != null)) {
            return this;
        }
        Set<String> taken = new HashSet<>();
        layers.stream().filter(l -> l.id() != null).forEach(l -> taken.add(l.id()));
        List<Layer> named = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (layer.id() != null) {
                named.add(layer);
                continue;
            }
            String base = typeName(layer) + "-" + i;
            String id = base;
            for (int n = 2; !taken.add(id); n++) {
                id = base + "-" + n;
            }
            named.add(layer.withId(id));
        }
        return new SceneSpec(named, slate, transition, applyAt);
    }

    private static String typeName(Layer layer) {
        return switch (layer) {
            case BackgroundLayer ignored -> "background";
            case ShapeLayer ignored -> "shape";
            case TextLayer ignored -> "text";
            case ImageLayer ignored -> "image";
            case VideoLayer ignored -> "video";
            case AudioLayer ignored -> "audio";
        };
    }
}
