package io.streammanager.composition.scene;

import java.util.Arrays;

/**
 * A picture ready to composite: I420 planes at an even size plus, when any pixel is not opaque, an alpha plane at
 * luma resolution and one at chroma resolution (the mean of each 2x2 block). Built once per image (decode, scale,
 * convert), so a frame only blends bytes. Immutable after construction.
 */
public final class Picture {

    private final int width;
    private final int height;
    private final byte[] y;
    private final byte[] u;
    private final byte[] v;
    private final byte[] alpha;
    private final byte[] chromaAlpha;
    private final AlphaSpans lumaSpans;
    private final AlphaSpans chromaSpans;

    private Picture(int width, int height, byte[] y, byte[] u, byte[] v, byte[] alpha, byte[] chromaAlpha) {
        this.width = width;
        this.height = height;
        this.y = y;
        this.u = u;
        this.v = v;
        this.alpha = alpha;
        this.chromaAlpha = chromaAlpha;
        this.lumaSpans = alpha == null ? null : AlphaSpans.of(alpha, width, width, height);
        this.chromaSpans = alpha == null ? null : AlphaSpans.of(chromaAlpha, width / 2, width / 2, height / 2);
    }

    /**
     * Converts packed non-premultiplied ARGB (as {@code BufferedImage.getRGB} gives) with BT.709 limited range, like
     * every other colour of the scene. An odd width or height loses its last column or row.
     */
    public static Picture fromArgb(int[] argb, int sourceWidth, int sourceHeight) {
        int width = sourceWidth & ~1;
        int height = sourceHeight & ~1;
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("picture too small: " + sourceWidth + "x" + sourceHeight);
        }
        int chromaWidth = width / 2;
        byte[] y = new byte[width * height];
        byte[] u = new byte[chromaWidth * (height / 2)];
        byte[] v = new byte[u.length];
        byte[] alpha = new byte[width * height];
        byte[] chromaAlpha = new byte[u.length];
        boolean opaque = true;
        for (int row = 0; row < height; row++) {
            for (int col = 0; col < width; col++) {
                int pixel = argb[row * sourceWidth + col];
                int a = pixel >>> 24;
                opaque &= a == 255;
                alpha[row * width + col] = (byte) a;
                y[row * width + col] = lumaOf(pixel);
            }
        }
        for (int row = 0; row < height / 2; row++) {
            for (int col = 0; col < chromaWidth; col++) {
                int r = 0;
                int g = 0;
                int b = 0;
                int weight = 0;
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        int pixel = argb[(2 * row + dy) * sourceWidth + 2 * col + dx];
                        int a = pixel >>> 24;
                        // weight by alpha so a transparent neighbour does not bleed its (meaningless) colour in
                        r += ((pixel >> 16) & 0xFF) * a;
                        g += ((pixel >> 8) & 0xFF) * a;
                        b += (pixel & 0xFF) * a;
                        weight += a;
                    }
                }
                int at = row * chromaWidth + col;
                chromaAlpha[at] = (byte) ((weight + 2) / 4);
                YuvColor colour = weight == 0 ? RgbColor.BLACK.toYuv()
                        : new RgbColor(r / weight, g / weight, b / weight).toYuv();
                u[at] = colour.uByte();
                v[at] = colour.vByte();
            }
        }
        return opaque ? new Picture(width, height, y, u, v, null, null)
                : new Picture(width, height, y, u, v, alpha, chromaAlpha);
    }

    /**
     * This picture at another (even) size, for the frames of a transition that changes its box: bilinear on the
     * planes already converted (no decode, no colour conversion), so a frame pays only for the pixels it draws.
     */
    public Picture scaled(int newWidth, int newHeight) {
        int cw = newWidth / 2;
        int ch = newHeight / 2;
        return new Picture(newWidth, newHeight, PlaneScaler.scale(y, width, height, newWidth, newHeight),
                PlaneScaler.scale(u, width / 2, height / 2, cw, ch), PlaneScaler.scale(v, width / 2, height / 2, cw, ch),
                alpha == null ? null : PlaneScaler.scale(alpha, width, height, newWidth, newHeight),
                chromaAlpha == null ? null : PlaneScaler.scale(chromaAlpha, width / 2, height / 2, cw, ch));
    }

    /** A box of one colour. */
    public static Picture solid(RgbColor colour, int width, int height) {
        int[] argb = new int[Math.max(2, width & ~1) * Math.max(2, height & ~1)];
        Arrays.fill(argb, 0xFF000000 | colour.red() << 16 | colour.green() << 8 | colour.blue());
        return fromArgb(argb, Math.max(2, width & ~1), Math.max(2, height & ~1));
    }

    private static byte lumaOf(int pixel) {
        return new RgbColor((pixel >> 16) & 0xFF, (pixel >> 8) & 0xFF, pixel & 0xFF).toYuv().yByte();
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    byte[] y() {
        return y;
    }

    byte[] u() {
        return u;
    }

    byte[] v() {
        return v;
    }

    /** Luma-resolution alpha, or null when every pixel is opaque. */
    byte[] alpha() {
        return alpha;
    }

    byte[] chromaAlpha() {
        return chromaAlpha;
    }

    /** Where each row of {@link #alpha()} shows anything; null when opaque. */
    AlphaSpans lumaSpans() {
        return lumaSpans;
    }

    AlphaSpans chromaSpans() {
        return chromaSpans;
    }
}
