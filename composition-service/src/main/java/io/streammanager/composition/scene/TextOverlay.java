package io.streammanager.composition.scene;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;

/**
 * One line of text with placeholders, alpha-blended over the frame: Y towards the text's luma by glyph
 * coverage, U/V towards its chroma by the mean coverage of each 2x2 block. (x, y) is the top-left corner of
 * the text line, rounded down to even pixels so chroma lines up; whatever falls outside the frame is clipped.
 */
public final class TextOverlay implements LayerPainter {

    private final TextTemplate template;
    private final int x;
    private final int y;
    private final YuvColor color;
    private final GlyphCoverage glyphs;
    private final StringBuilder resolved = new StringBuilder();
    private final TextAlign align;
    private final int boxWidth;

    public TextOverlay(String text, int x, int y, int size, RgbColor color, int frameWidth, int frameHeight) {
        this(text, x, y, size, color, null, null, TextAlign.LEFT, frameWidth, frameHeight);
    }

    /**
     * @param boxWidth  width of the text's box (null: up to the frame's right edge); text past it is cut
     * @param boxHeight height of the box (null: up to the frame's bottom edge)
     */
    public TextOverlay(String text, int x, int y, int size, RgbColor color, Integer boxWidth, Integer boxHeight,
                       TextAlign align, int frameWidth, int frameHeight) {
        this.template = TextTemplate.parse(text);
        this.x = Math.max(0, x) & ~1;
        this.y = Math.max(0, y) & ~1;
        this.color = color.toYuv();
        this.align = align;
        int visibleWidth = Math.max(0, frameWidth - this.x);
        int visibleHeight = Math.max(0, frameHeight - this.y);
        this.boxWidth = boxWidth == null ? visibleWidth : Math.min(boxWidth, visibleWidth);
        this.glyphs = new GlyphCoverage(size, this.boxWidth,
                boxHeight == null ? visibleHeight : Math.min(boxHeight, visibleHeight));
    }

    /**
     * Loads Java2D and the font stack (seconds on a cold JVM: fontconfig, glyph caches) so that the first stream
     * created does not pay for it inside its POST.
     */
    public static void warmUp() {
        try (GlyphCoverage glyphs = new GlyphCoverage(24, 128, 32)) {
            glyphs.update("0123456789:. warm-up");
        }
    }

    @Override
    public void paint(I420Frame frame, FrameContext context) {
        if (x >= frame.width() || y >= frame.height()) {
            return;
        }
        template.resolve(context, resolved);
        glyphs.update(resolved);
        int slack = Math.max(0, boxWidth - glyphs.textWidth());
        int left = x + (switch (align) {
            case LEFT -> 0;
            case CENTER -> slack / 2;
            case RIGHT -> slack;
        } & ~1);
        blendLuma(frame, left);
        blendChroma(frame, left);
    }

    private void blendLuma(I420Frame frame, int x) {
        MemorySegment pixels = frame.pixels();
        byte[] coverage = glyphs.coverage();
        int stride = glyphs.stride();
        int rows = Math.min(glyphs.height(), frame.height() - y);
        int cols = Math.min(glyphs.textWidth(), frame.width() - x);
        int target = color.y();
        for (int row = 0; row < rows; row++) {
            int coverageRow = row * stride;
            long pixelRow = frame.yOffset(x, y + row);
            for (int col = 0; col < cols; col++) {
                int alpha = coverage[coverageRow + col] & 0xFF;
                if (alpha != 0) {
                    long at = pixelRow + col;
                    pixels.set(JAVA_BYTE, at, blend(pixels.get(JAVA_BYTE, at) & 0xFF, target, alpha));
                }
            }
        }
    }

    private void blendChroma(I420Frame frame, int x) {
        MemorySegment pixels = frame.pixels();
        byte[] coverage = glyphs.coverage();
        int stride = glyphs.stride();
        int rows = Math.min(glyphs.height(), frame.height() - y) / 2;
        int cols = Math.min(glyphs.textWidth(), frame.width() - x) / 2;
        int cx = x / 2;
        int cy = y / 2;
        for (int row = 0; row < rows; row++) {
            int top = 2 * row * stride;
            int bottom = top + stride;
            for (int col = 0; col < cols; col++) {
                int left = 2 * col;
                int alpha = ((coverage[top + left] & 0xFF) + (coverage[top + left + 1] & 0xFF)
                        + (coverage[bottom + left] & 0xFF) + (coverage[bottom + left + 1] & 0xFF) + 2) >> 2;
                if (alpha != 0) {
                    long u = frame.uOffset(cx + col, cy + row);
                    long v = frame.vOffset(cx + col, cy + row);
                    pixels.set(JAVA_BYTE, u, blend(pixels.get(JAVA_BYTE, u) & 0xFF, color.u(), alpha));
                    pixels.set(JAVA_BYTE, v, blend(pixels.get(JAVA_BYTE, v) & 0xFF, color.v(), alpha));
                }
            }
        }
    }

    private static byte blend(int below, int above, int alpha) {
        return (byte) (below + ((above - below) * alpha + (above >= below ? 127 : -127)) / 255);
    }

    @Override
    public void close() {
        glyphs.close();
    }
}
