package io.streammanager.composition.scene;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A stream's compiled scene: its layer painters, bottom to top, rendering straight into a frame's I420 pixels.
 * Owned by one clock thread; not thread-safe.
 */
public final class SceneRenderer implements AutoCloseable {

    private final List<LayerPainter> painters;
    private final I420Frame frame;
    private final FrameContext context;

    public SceneRenderer(int width, int height, String streamName, List<LayerPainter> painters) {
        this.painters = List.copyOf(painters);
        this.frame = new I420Frame(width, height);
        this.context = new FrameContext(streamName);
    }

    public void render(MemorySegment pixels, long frameIndex, long ptsUs, long captureEpochUs) {
        frame.wrap(pixels);
        context.set(frameIndex, ptsUs, captureEpochUs);
        for (LayerPainter painter : painters) {
            painter.paint(frame, context);
        }
    }

    public long frameBytes() {
        return frame.frameBytes();
    }

    public List<LayerPainter> painters() {
        return painters;
    }

    @Override
    public void close() {
        for (LayerPainter painter : painters) {
            painter.close();
        }
    }
}
