package io.streammanager.composition.scene;

/** A layer that can be drawn away from its place (a {@code move} transition glides it from its old box). */
public interface Movable {

    /** Draws the layer {@code dx}, {@code dy} pixels away from its place until shifted back to 0, 0. */
    void shift(int dx, int dy);
}
