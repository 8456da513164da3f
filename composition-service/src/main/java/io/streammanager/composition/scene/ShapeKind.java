package io.streammanager.composition.scene;

import java.util.Locale;

/** The shapes a shape layer can draw. */
public enum ShapeKind {
    RECTANGLE, CIRCLE;

    public static boolean isValid(String name) {
        return "rectangle".equals(name) || "circle".equals(name);
    }

    public static ShapeKind parse(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
