package io.streammanager.composition.scene;

/** Paints one scene layer over what the layers below it left in the frame. Called on the stream's clock thread. */
public interface LayerPainter extends AutoCloseable {

    void paint(I420Frame frame, FrameContext context);

    /** Frees off-heap or native state; painters without any need not override. */
    @Override
    default void close() {
    }
}
