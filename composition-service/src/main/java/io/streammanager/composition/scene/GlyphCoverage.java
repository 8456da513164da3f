package io.streammanager.composition.scene;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Antialiased glyph coverage (0 = background, 255 = fully inside a glyph) of one line of text, drawn by Java2D
 * into a small reusable 8-bit grey image. The image is only redrawn when the string differs from the one it
 * holds, so static text costs nothing per frame and a clock costs one small drawString.
 */
final class GlyphCoverage implements AutoCloseable {

    private final BufferedImage image;
    private final Graphics2D graphics;
    private final byte[] coverage;
    private final int ascent;
    private final StringBuilder drawn = new StringBuilder();
    private int textWidth;

    /**
     * @param maxWidth  widest area that can be visible (pixels right of the text's x up to the frame edge)
     * @param maxHeight tallest area that can be visible
     */
    GlyphCoverage(int pixelSize, int maxWidth, int maxHeight) {
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, pixelSize);
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
    }

    /** Makes the image hold {@code text}; returns false (and does nothing) when it already did. */
    boolean update(CharSequence text) {
        if (drawn.length() > 0 && drawn.compareTo(asBuilder(text)) == 0) {
            return false;
        }
        java.util.Arrays.fill(coverage, (byte) 0);
        String string = text.toString();
        graphics.drawString(string, 0, ascent);
        textWidth = Math.min(image.getWidth(), graphics.getFontMetrics().stringWidth(string) + 2);
        drawn.setLength(0);
        drawn.append(text);
        return true;
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

    @Override
    public void close() {
        graphics.dispose();
    }
}
