package io.streammanager.composition.scene;

/**
 * Per row of an alpha plane, the columns that show anything ({@code from} inclusive, {@code to} exclusive; empty
 * rows have from == to) and whether that span is wholly opaque. Computed once when a picture or a text's coverage is
 * made, so a frame blends only the pixels that can change it and copies opaque rows in bulk.
 */
final class AlphaSpans {

    private final int[] from;
    private final int[] to;
    private final boolean[] opaque;

    private AlphaSpans(int rows) {
        this.from = new int[rows];
        this.to = new int[rows];
        this.opaque = new boolean[rows];
    }

    /** Spans of {@code alpha} ({@code width} x {@code rows}, row stride {@code stride}). */
    static AlphaSpans of(byte[] alpha, int stride, int width, int rows) {
        AlphaSpans spans = new AlphaSpans(rows);
        spans.update(alpha, stride, width, rows);
        return spans;
    }

    /** Recomputes the spans in place (a text redrawn); {@code rows} at most the rows this was made for. */
    void update(byte[] alpha, int stride, int width, int rows) {
        for (int row = 0; row < from.length; row++) {
            int first = -1;
            int last = -1;
            int opaqueCount = 0;
            if (row < rows) {
                for (int col = 0, at = row * stride; col < width; col++, at++) {
                    int a = alpha[at] & 0xFF;
                    if (a != 0) {
                        first = first < 0 ? col : first;
                        last = col;
                        opaqueCount += a == 255 ? 1 : 0;
                    }
                }
            }
            from[row] = last < 0 ? 0 : first;
            to[row] = last < 0 ? 0 : last + 1;
            opaque[row] = last >= 0 && opaqueCount == last - first + 1; // one pass: every pixel of the span is 255
        }
    }

    int from(int row) {
        return from[row];
    }

    int to(int row) {
        return to[row];
    }

    boolean opaque(int row) {
        return opaque[row];
    }
}
