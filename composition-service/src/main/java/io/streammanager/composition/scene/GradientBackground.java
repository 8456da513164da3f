package io.streammanager.composition.scene;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A two-colour linear gradient. The whole I420 frame is computed once, off-heap, when the scene is built; each
 * frame is then a single bulk {@link MemorySegment#copy} (about a memcpy of 1.4 MB at 720p). A linear gradient
 * only varies along its axis, so building it converts one colour per row (or column) and fills or copies rows.
 */
public final class GradientBackground implements LayerPainter {

    private final Arena arena = Arena.ofShared();
    private final MemorySegment prerendered;

    public GradientBackground(int width, int height, RgbColor from, RgbColor to, GradientDirection direction) {
        I420Frame layout = new I420Frame(width, height);
        this.prerendered = arena.allocate(layout.frameBytes());
        boolean vertical = direction == GradientDirection.VERTICAL;
        // Luma: one sample per pixel centre; chroma: one per 2x2 block, coloured as the block's centre.
        int lumaLength = vertical ? height : width;
        int chromaLength = vertical ? layout.chromaHeight() : layout.chromaWidth();
        byte[] lumaAxis = new byte[lumaLength];
        for (int i = 0; i < lumaLength; i++) {
            lumaAxis[i] = from.mix(to, (i + 0.5) / lumaLength).toYuv().yByte();
        }
        byte[] uAxis = new byte[chromaLength];
        byte[] vAxis = new byte[chromaLength];
        for (int i = 0; i < chromaLength; i++) {
            YuvColor colour = from.mix(to, (2 * i + 1.0) / lumaLength).toYuv();
            uAxis[i] = colour.uByte();
            vAxis[i] = colour.vByte();
        }
        for (int y = 0; y < height; y++) {
            paintRow(lumaAxis, vertical, y, layout.yOffset(0, y), width);
        }
        for (int cy = 0; cy < layout.chromaHeight(); cy++) {
            paintRow(uAxis, vertical, cy, layout.uOffset(0, cy), layout.chromaWidth());
            paintRow(vAxis, vertical, cy, layout.vOffset(0, cy), layout.chromaWidth());
        }
    }

    private void paintRow(byte[] axis, boolean vertical, int row, long offset, int length) {
        if (vertical) {
            prerendered.asSlice(offset, length).fill(axis[row]);
        } else {
            MemorySegment.copy(MemorySegment.ofArray(axis), 0, prerendered, offset, length);
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
}
