package io.streammanager.composition.stream;

import io.streammanager.bus.control.spec.StreamSpec;

/**
 * Checks what a scene refers to outside itself (URLs against the allow list, assets that exist and are of the right
 * kind) before a spec is stored; a bad reference is an {@link InvalidSpecException} naming the field. Blocking (DNS,
 * Redis).
 */
public interface SceneReferences {

    void check(StreamSpec spec);
}
