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
    private final byte[] scratch;

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
        this.scratch = new byte[Math.max(1, glyphs.stride())];
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
        int rows = Math.min(glyphs.height(), frame.height() - y);
        int cols = Math.min(glyphs.textWidth(), frame.width() - x);
        blendPlane(frame.pixels(), glyphs.coverage(), glyphs.lumaSpans(), glyphs.stride(), rows, cols,
                frame.yOffset(x, y), frame.width(), color.y());
    }

    private void blendChroma(I420Frame frame, int x) {
        int rows = Math.min(glyphs.height(), frame.height() - y) / 2;
        int cols = Math.min(glyphs.textWidth(), frame.width() - x) / 2;
        byte[] coverage = glyphs.chromaCoverage();
        AlphaSpans spans = glyphs.chromaSpans();
        int stride = glyphs.stride() / 2;
        blendPlane(frame.pixels(), coverage, spans, stride, rows, cols, frame.uOffset(x / 2, y / 2),
                frame.chromaWidth(), color.u());
        blendPlane(frame.pixels(), coverage, spans, stride, rows, cols, frame.vOffset(x / 2, y / 2),
                frame.chromaWidth(), color.v());
    }

    /** Blends one plane towards {@code target} by coverage, row span by row span, on a heap copy of each span. */
    private void blendPlane(MemorySegment pixels, byte[] coverage, AlphaSpans spans, int stride, int rows, int cols,
                            long origin, int frameStride, int target) {
        for (int row = 0; row < rows; row++) {
            int from = spans.from(row);
            int to = Math.min(cols, spans.to(row));
            if (from >= to) {
                continue;
            }
            int length = to - from;
            long at = origin + (long) row * frameStride + from;
            MemorySegment.copy(pixels, JAVA_BYTE, at, scratch, 0, length);
            for (int i = 0, c = row * stride + from; i < length; i++, c++) {
                int alpha = coverage[c] & 0xFF;
                if (alpha != 0) {
                    scratch[i] = blend(scratch[i] & 0xFF, target, alpha);
                }
            }
            MemorySegment.copy(scratch, 0, pixels, JAVA_BYTE, at, length);
        }
    }

    private static byte blend(int below, int above, int alpha) {
        return PictureBlender.mix(below, above, alpha);
    }

    @Override
    public void close() {
        glyphs.close();
    }
}
