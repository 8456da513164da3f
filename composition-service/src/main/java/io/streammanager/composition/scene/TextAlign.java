package io.streammanager.composition.scene;

import java.util.Locale;

/** Where a text line sits in its box. */
public enum TextAlign {
    LEFT, CENTER, RIGHT;

    public static boolean isValid(String name) {
        return name == null || "left".equals(name) || "center".equals(name) || "right".equals(name);
    }

    public static TextAlign parse(String name) {
        return name == null ? LEFT : valueOf(name.toUpperCase(Locale.ROOT));
    }
}
