package io.streammanager.composition.scene;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A two-colour linear gradient. The whole I420 frame is computed once, off-heap, when the scene is built; each
 * frame is then a single bulk {@link MemorySegment#copy} (about a memcpy of 1.4 MB at 720p).
 */
public final class GradientBackground implements LayerPainter {

    private final Arena arena = Arena.ofShared();
    private final MemorySegment prerendered;

    public GradientBackground(int width, int height, RgbColor from, RgbColor to, GradientDirection direction) {
        I420Frame layout = new I420Frame(width, height);
        this.prerendered = arena.allocate(layout.frameBytes());
        layout.wrap(prerendered);
        boolean vertical = direction == GradientDirection.VERTICAL;
        // Luma: one sample per pixel; chroma: one per 2x2 block, coloured as the block's centre.
        for (int y = 0; y < layout.height(); y++) {
            for (int x = 0; x < layout.width(); x++) {
                YuvColor c = colourAt(from, to, vertical, x + 0.5, y + 0.5, width, height);
                prerendered.set(JAVA_BYTE, layout.yOffset(x, y), c.yByte());
                if (vertical) {
                    prerendered.asSlice(layout.yOffset(0, y), width).fill(c.yByte());
                    break;
                }
            }
        }
        for (int cy = 0; cy < layout.chromaHeight(); cy++) {
            for (int cx = 0; cx < layout.chromaWidth(); cx++) {
                YuvColor c = colourAt(from, to, vertical, 2 * cx + 1.0, 2 * cy + 1.0, width, height);
                prerendered.set(JAVA_BYTE, layout.uOffset(cx, cy), c.uByte());
                prerendered.set(JAVA_BYTE, layout.vOffset(cx, cy), c.vByte());
            }
        }
    }

    @Override
    public void paint(I420Frame frame, FrameContext context) {
        MemorySegment.copy(prerendered, 0, frame.pixels(), 0, prerendered.byteSize());
    }

    @Override
    public void close() {
        arena.close();
    }

    private static YuvColor colourAt(RgbColor from, RgbColor to, boolean vertical, double x, double y,
                                     int width, int height) {
        double t = vertical ? y / height : x / width;
        return from.mix(to, t).toYuv();
    }
}
