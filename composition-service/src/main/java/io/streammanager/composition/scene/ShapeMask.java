package io.streammanager.composition.scene;

/**
 * A shape as one horizontal span per row of its bounding box (start column and length), computed once so a
 * frame only copies spans. A circle is the ellipse inscribed in the box, sampled at pixel centres.
 */
final class ShapeMask {

    private final int width;
    private final int height;
    private final int[] spanStart;
    private final int[] spanLength;

    private ShapeMask(int width, int height, int[] spanStart, int[] spanLength) {
        this.width = width;
        this.height = height;
        this.spanStart = spanStart;
        this.spanLength = spanLength;
    }

    static ShapeMask of(ShapeKind kind, int width, int height) {
        int[] start = new int[height];
        int[] length = new int[height];
        for (int row = 0; row < height; row++) {
            if (kind == ShapeKind.RECTANGLE) {
                length[row] = width;
                continue;
            }
            double dy = (row + 0.5 - height / 2.0) / (height / 2.0);
            double halfWidth = (width / 2.0) * Math.sqrt(Math.max(0, 1 - dy * dy));
            int from = (int) Math.round(width / 2.0 - halfWidth);
            int to = (int) Math.round(width / 2.0 + halfWidth);
            start[row] = from;
            length[row] = Math.max(0, to - from);
        }
        return new ShapeMask(width, height, start, length);
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    int spanStart(int row) {
        return spanStart[row];
    }

    int spanLength(int row) {
        return spanLength[row];
    }
}
