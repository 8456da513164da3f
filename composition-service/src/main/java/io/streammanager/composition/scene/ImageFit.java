package io.streammanager.composition.scene;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * How a picture fills its box: {@code contain} (whole picture, centred, transparent around), {@code cover} (the box
 * filled, the picture centred and cropped) or {@code fill} (stretched). Scaling is done once, here, with bicubic
 * interpolation, into ARGB pixels of exactly the box's size.
 */
public enum ImageFit {
    CONTAIN, COVER, FILL;

    public static boolean isValid(String name) {
        return name == null || "contain".equals(name) || "cover".equals(name) || "fill".equals(name);
    }

    public static ImageFit parse(String name) {
        return name == null ? CONTAIN : valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** {@code image} fitted into a box of {@code boxWidth} x {@code boxHeight} as a picture ready to composite. */
    public Picture fit(BufferedImage image, int boxWidth, int boxHeight) {
        int width = Math.max(2, boxWidth & ~1);
        int height = Math.max(2, boxHeight & ~1);
        double scaleX = (double) width / image.getWidth();
        double scaleY = (double) height / image.getHeight();
        double scale = this == CONTAIN ? Math.min(scaleX, scaleY) : Math.max(scaleX, scaleY);
        int drawWidth = this == FILL ? width : (int) Math.round(image.getWidth() * scale);
        int drawHeight = this == FILL ? height : (int) Math.round(image.getHeight() * scale);
        BufferedImage boxed = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D graphics = boxed.createGraphics();
        try {
            graphics.setComposite(AlphaComposite.Src);
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            graphics.drawImage(image, (width - drawWidth) / 2, (height - drawHeight) / 2, drawWidth, drawHeight, null);
        } finally {
            graphics.dispose();
        }
        int[] argb = boxed.getRGB(0, 0, width, height, null, 0, width);
        return Picture.fromArgb(argb, width, height);
    }
}
