package io.streammanager.composition.stream;

import io.streammanager.bus.control.spec.StreamSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Which top-level parts differ between two versions of a spec, each named as the service that owns it reads it. */
public final class SpecChanges {

    public static final String SCENE = "scene";
    public static final String ENCODER = "encoder";
    public static final String OUTPUTS = "outputs";

    private SpecChanges() {
    }

    public static List<String> between(StreamSpec before, StreamSpec after) {
        List<String> changed = new ArrayList<>(3);
        if (!Objects.equals(before.scene(), after.scene())) {
            changed.add(SCENE);
        }
        if (!Objects.equals(before.encoder(), after.encoder())) {
            changed.add(ENCODER);
        }
        if (!Objects.equals(before.outputs(), after.outputs())) {
            changed.add(OUTPUTS);
        }
        return List.copyOf(changed);
    }
}
