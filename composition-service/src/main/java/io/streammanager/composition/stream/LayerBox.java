package io.streammanager.composition.stream;

/**
 * Where a layer is drawn and how opaque: its box (top-left corner and size) and opacity. A transition step is
 * {@link #towards}: a straight line from one box to another by an (already eased) progress.
 */
record LayerBox(int x, int y, int width, int height, double opacity) {

    /** This box {@code progress} (0..1) of the way to {@code to}; positions and sizes rounded to whole pixels. */
    LayerBox towards(LayerBox to, double progress) {
        if (progress >= 1) {
            return to;
        }
        double p = Math.max(0, progress);
        return new LayerBox(lerp(x, to.x, p), lerp(y, to.y, p), lerp(width, to.width, p), lerp(height, to.height, p),
                opacity + (to.opacity - opacity) * p);
    }

    /** The same place and size at another opacity. */
    LayerBox withOpacity(double value) {
        return new LayerBox(x, y, width, height, value);
    }

    private static int lerp(int from, int to, double progress) {
        return (int) Math.round(from + (to - from) * progress);
    }
}
