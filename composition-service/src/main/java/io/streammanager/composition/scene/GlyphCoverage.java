package io.streammanager.composition.scene;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.GlyphVector;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Arrays;

/**
 * Antialiased glyph coverage (0 = background, 255 = fully inside a glyph) of one line of text, drawn by Java2D
 * into a small reusable 8-bit grey image. The image is only redrawn when the string differs from the one it
 * holds, and then only from the first glyph that changed: a clock's millisecond digits redraw a few glyphs, not the
 * line (Java2D draws the whole layout clipped to the changed columns, so the pixels are exactly a full redraw's).
 */
final class GlyphCoverage implements AutoCloseable {

    private final BufferedImage image;
    private final Graphics2D graphics;
    private final byte[] coverage;
    private final int ascent;
    private final StringBuilder drawn = new StringBuilder();
    private final byte[] chromaCoverage;
    private final AlphaSpans lumaSpans;
    private final AlphaSpans chromaSpans;
    private final Font font;
    private int textWidth;
    /** Per glyph of the drawn string, the first pixel column it may cover (its pixel bounds, one column of margin). */
    private int[] inkLeft = new int[0];
    private int redrawnFrom;

    /**
     * @param maxWidth  widest area that can be visible (pixels right of the text's x up to the frame edge)
     * @param maxHeight tallest area that can be visible
     */
    GlyphCoverage(int pixelSize, int maxWidth, int maxHeight) {
        this.font = new Font(Font.SANS_SERIF, Font.PLAIN, pixelSize);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D probeGraphics = probe.createGraphics();
        FontMetrics metrics = probeGraphics.getFontMetrics(font);
        int lineHeight = metrics.getAscent() + metrics.getDescent();
        probeGraphics.dispose();
        this.ascent = metrics.getAscent();
        this.image = new BufferedImage(Math.max(1, maxWidth), Math.max(1, Math.min(maxHeight, lineHeight)),
                BufferedImage.TYPE_BYTE_GRAY);
        this.coverage = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        this.graphics = image.createGraphics();
        graphics.setFont(font);
        graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        graphics.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        graphics.setColor(Color.WHITE);
        int width = image.getWidth();
        int height = image.getHeight();
        this.chromaCoverage = new byte[(width / 2) * (height / 2)];
        this.lumaSpans = AlphaSpans.of(coverage, width, 0, height);
        this.chromaSpans = AlphaSpans.of(chromaCoverage, width / 2, 0, height / 2);
    }

    /** Makes the image hold {@code text}; returns false (and does nothing) when it already did. */
    boolean update(CharSequence text) {
        if (drawn.length() > 0 && drawn.compareTo(asBuilder(text)) == 0) {
            return false;
        }
        String string = text.toString();
        GlyphVector layout = font.createGlyphVector(graphics.getFontRenderContext(), string);
        int changedFrom = changedColumn(string, layout);
        int width = image.getWidth();
        if (changedFrom == 0) {
            Arrays.fill(coverage, (byte) 0);
        } else {
            for (int row = 0, at = 0; row < image.getHeight(); row++, at += width) {
                Arrays.fill(coverage, at + changedFrom, at + width, (byte) 0);
            }
        }
        graphics.setClip(changedFrom, 0, width - changedFrom, image.getHeight());
        graphics.drawGlyphVector(layout, 0, ascent);
        textWidth = Math.min(width, (int) Math.ceil(layout.getLogicalBounds().getWidth()) + 2);
        drawn.setLength(0);
        drawn.append(text);
        summarise(changedFrom);
        redrawnFrom = changedFrom;
        return true;
    }

    /** The first column the last redraw touched (0: the whole line). */
    int redrawnFrom() {
        return redrawnFrom;
    }

    /**
     * The first pixel column the new string can differ in from the drawn one: left of the first changed glyph's
     * pixels, old or new (the glyphs before it are the same glyphs at the same places). 0 redraws everything: the
     * first text, or a string whose glyphs are not one per character (ligatures, complex scripts).
     */
    private int changedColumn(String string, GlyphVector layout) {
        int glyphs = layout.getNumGlyphs();
        boolean simple = glyphs == string.length() && drawn.length() == inkLeft.length && drawn.length() > 0;
        int changed = 0;
        while (simple && changed < glyphs && changed < drawn.length()
                && drawn.charAt(changed) == string.charAt(changed)) {
            changed++;
        }
        int column = Integer.MAX_VALUE;
        for (int i = changed; simple && i < inkLeft.length; i++) {
            column = Math.min(column, inkLeft[i]); // the old glyphs that go
        }
        int[] lefts = Arrays.copyOf(inkLeft, glyphs);
        for (int i = simple ? changed : 0; i < glyphs; i++) {
            lefts[i] = layout.getGlyphPixelBounds(i, graphics.getFontRenderContext(), 0, ascent).x - 1;
            column = Math.min(column, lefts[i]); // the new glyphs that come
        }
        inkLeft = glyphs == string.length() ? lefts : new int[0];
        if (!simple) {
            return 0;
        }
        return Math.max(0, Math.min(column, image.getWidth())) & ~1; // even: the chroma pass works on 2x2 blocks
    }

    /**
     * Once per redraw rather than per frame, from the first changed column on: each 2x2 block's mean coverage (for
     * U/V) and, per row, the columns that hold any coverage, so painting a frame touches only the glyphs' pixels.
     */
    private void summarise(int changedFrom) {
        int stride = image.getWidth();
        int chromaStride = stride / 2;
        int chromaCols = textWidth / 2;
        for (int row = 0; row < image.getHeight() / 2; row++) {
            int top = 2 * row * stride;
            int bottom = top + stride;
            for (int col = changedFrom / 2; col < chromaCols; col++) {
                int left = 2 * col;
                chromaCoverage[row * chromaStride + col] = (byte) (((coverage[top + left] & 0xFF)
                        + (coverage[top + left + 1] & 0xFF) + (coverage[bottom + left] & 0xFF)
                        + (coverage[bottom + left + 1] & 0xFF) + 2) >> 2);
            }
        }
        lumaSpans.update(coverage, stride, textWidth, image.getHeight(), changedFrom);
        chromaSpans.update(chromaCoverage, chromaStride, chromaCols, image.getHeight() / 2, changedFrom / 2);
    }

    private static StringBuilder asBuilder(CharSequence text) {
        return text instanceof StringBuilder sb ? sb : new StringBuilder(text);
    }

    /** Columns that may hold coverage for the current text. */
    int textWidth() {
        return textWidth;
    }

    int height() {
        return image.getHeight();
    }

    /** Row-major coverage bytes; row stride is {@link #stride()}. */
    byte[] coverage() {
        return coverage;
    }

    int stride() {
        return image.getWidth();
    }

    /** Mean coverage of each 2x2 block; row stride {@code stride() / 2}. */
    byte[] chromaCoverage() {
        return chromaCoverage;
    }

    AlphaSpans lumaSpans() {
        return lumaSpans;
    }

    AlphaSpans chromaSpans() {
        return chromaSpans;
    }

    @Override
    public void close() {
        graphics.dispose();
    }
}
