package io.streammanager.composition.scene;

/** Paints one scene layer over what the layers below it left in the frame. Called on the stream's clock thread. */
public interface LayerPainter extends AutoCloseable {

    void paint(I420Frame frame, FrameContext context);

    /**
     * Whether this frame's {@link #paint} will cover every pixel of the frame opaquely, so the layers below need
     * not be painted at all. Asked before painting, top layer first; false unless a painter knows.
     */
    default boolean coversFrame(I420Frame frame, FrameContext context) {
        return false;
    }

    /** Frees off-heap or native state; painters without any need not override. */
    @Override
    default void close() {
    }
}
