package io.streammanager.composition.scene;

/** Bilinear resampling of one 8-bit plane (pixel centres aligned), for pictures resized during a transition. */
final class PlaneScaler {

    private PlaneScaler() {
    }

    static byte[] scale(byte[] src, int width, int height, int newWidth, int newHeight) {
        byte[] out = new byte[newWidth * newHeight];
        if (width <= 0 || height <= 0) {
            return out;
        }
        double stepX = (double) width / newWidth;
        double stepY = (double) height / newHeight;
        for (int row = 0; row < newHeight; row++) {
            double sy = Math.max(0, Math.min(height - 1, (row + 0.5) * stepY - 0.5));
            int y0 = (int) sy;
            int y1 = Math.min(height - 1, y0 + 1);
            int wy = (int) Math.round((sy - y0) * 256);
            for (int col = 0; col < newWidth; col++) {
                double sx = Math.max(0, Math.min(width - 1, (col + 0.5) * stepX - 0.5));
                int x0 = (int) sx;
                int x1 = Math.min(width - 1, x0 + 1);
                int wx = (int) Math.round((sx - x0) * 256);
                int top = (src[y0 * width + x0] & 0xFF) * (256 - wx) + (src[y0 * width + x1] & 0xFF) * wx;
                int bottom = (src[y1 * width + x0] & 0xFF) * (256 - wx) + (src[y1 * width + x1] & 0xFF) * wx;
                out[row * newWidth + col] = (byte) ((top * (256 - wy) + bottom * wy + (1 << 15)) >> 16);
            }
        }
        return out;
    }
}
