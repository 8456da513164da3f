package io.streammanager.composition.scene;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A stream's compiled scene: its layer painters, bottom to top, rendering straight into a frame's I420 pixels. While
 * a primary video layer is down (past its hold time) and the scene has a slate, the slate replaces the whole
 * program. Owned by one clock thread; not thread-safe.
 */
public final class SceneRenderer implements AutoCloseable {

    private final List<LayerPainter> painters;
    private final List<VideoPainter> primaries;
    private final List<LayerPainter> slate;
    private final List<SceneLayer> layers;
    private final I420Frame frame;
    private final FrameContext context;

    public SceneRenderer(int width, int height, String streamName, List<LayerPainter> painters) {
        this(width, height, streamName, painters, List.of(), List.of());
    }

    public SceneRenderer(int width, int height, String streamName, List<LayerPainter> painters,
                         List<VideoPainter> primaries, List<LayerPainter> slate) {
        this(width, height, streamName, painters, primaries, slate, List.of());
    }

    /** @param layers the spec's layers among {@code painters}, by id, for transitions */
    public SceneRenderer(int width, int height, String streamName, List<LayerPainter> painters,
                         List<VideoPainter> primaries, List<LayerPainter> slate, List<SceneLayer> layers) {
        this.layers = List.copyOf(layers);
        this.painters = List.copyOf(painters);
        this.primaries = List.copyOf(primaries);
        this.slate = List.copyOf(slate);
        this.frame = new I420Frame(width, height);
        this.context = new FrameContext(streamName);
    }

    public void render(MemorySegment pixels, long frameIndex, long ptsUs, long captureEpochUs) {
        frame.wrap(pixels);
        context.set(frameIndex, ptsUs, captureEpochUs);
        List<LayerPainter> drawn = slateShown() ? slate : painters;
        // a full-frame opaque layer (a camera) makes painting what lies under it wasted work
        int first = drawn.size() - 1;
        while (first > 0 && !drawn.get(first).coversFrame(frame, context)) {
            first--;
        }
        for (int i = Math.max(0, first); i < drawn.size(); i++) {
            drawn.get(i).paint(frame, context);
        }
    }

    /** Whether this frame shows the slate instead of the scene. */
    public boolean slateShown() {
        if (slate.isEmpty() || primaries.isEmpty()) {
            return false;
        }
        long now = System.nanoTime();
        for (VideoPainter primary : primaries) {
            if (primary.down(now)) {
                return true;
            }
        }
        return false;
    }

    /** Paints one of this scene's layers alone over {@code pixels} (a transition fading out a removed layer). */
    public void paintLayer(SceneLayer layer, MemorySegment pixels, long frameIndex, long ptsUs, long captureEpochUs) {
        frame.wrap(pixels);
        context.set(frameIndex, ptsUs, captureEpochUs);
        layer.painter().paint(frame, context);
    }

    public List<SceneLayer> layers() {
        return layers;
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
        for (LayerPainter painter : slate) {
            painter.close();
        }
    }
}
