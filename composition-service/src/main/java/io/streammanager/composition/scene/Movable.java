package io.streammanager.composition.scene;

/**
 * A layer that can be drawn away from its place and size (a {@code move} transition glides it from its old box to
 * its new one).
 */
public interface Movable {

    /**
     * Draws the layer {@code dx}, {@code dy} pixels away from its place and at {@code scaleX}, {@code scaleY} of its
     * own box size, until placed back at 0, 0, 1, 1.
     */
    void place(int dx, int dy, double scaleX, double scaleY);

    /** The width of the layer's own box (what a scale of 1 draws). */
    int width();

    int height();

    /** A box size scaled, kept even and at least 2 (I420). */
    static int scaled(int size, double scale) {
        return Math.max(2, (int) Math.round(size * scale) & ~1);
    }
}
