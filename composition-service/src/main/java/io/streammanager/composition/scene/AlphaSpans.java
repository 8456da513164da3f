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
        update(alpha, stride, width, rows, 0);
    }

    /**
     * Recomputes the spans after only columns {@code changedFrom} and right of it changed (a clock's last digits
     * redrawn): a row's first column is kept when it lies left of them, so a row costs a scan of the changed columns,
     * not of the whole line.
     */
    void update(byte[] alpha, int stride, int width, int rows, int changedFrom) {
        for (int row = 0; row < from.length; row++) {
            int first = -1;
            int last = -1;
            if (row < rows) {
                int at = row * stride;
                // left of the change a row holds what it held: its old first column, or no coverage at all
                boolean keptFirst = changedFrom > 0 && to[row] > from[row] && from[row] < changedFrom;
                int scanFrom = changedFrom;
                first = keptFirst ? from[row] : -1;
                for (int col = width - 1; col >= scanFrom && last < 0; col--) {
                    last = alpha[at + col] != 0 ? col : -1;
                }
                if (last < 0 && keptFirst) { // nothing right of the change: the old span's end within the kept part
                    for (int col = Math.min(width, changedFrom) - 1; col >= first && last < 0; col--) {
                        last = alpha[at + col] != 0 ? col : -1;
                    }
                }
                for (int col = scanFrom; first < 0 && col <= last; col++) {
                    first = alpha[at + col] != 0 ? col : -1;
                }
            }
            from[row] = last < 0 ? 0 : first;
            to[row] = last < 0 ? 0 : last + 1;
            opaque[row] = last >= 0 && allOpaque(alpha, row * stride, first, last); // stops at the first non-255
        }
    }

    private static boolean allOpaque(byte[] alpha, int rowStart, int first, int last) {
        for (int col = first; col <= last; col++) {
            if (alpha[rowStart + col] != (byte) 255) {
                return false;
            }
        }
        return true;
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
