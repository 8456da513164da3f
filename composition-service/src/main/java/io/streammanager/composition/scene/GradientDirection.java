package io.streammanager.composition.scene;

import java.util.Locale;

/** Which way a background gradient runs: from the top edge to the bottom, or from the left edge to the right. */
public enum GradientDirection {
    VERTICAL, HORIZONTAL;

    public static boolean isValid(String name) {
        return name != null && ("vertical".equals(name) || "horizontal".equals(name));
    }

    public static GradientDirection parse(String name) {
        return name == null ? VERTICAL : valueOf(name.toUpperCase(Locale.ROOT));
    }
}
