package io.streammanager.muxer.api;

/**
 * One HTTP byte range ({@code Range: bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}) resolved against a length.
 * Multiple ranges are not served (the whole file is, as RFC 9110 allows).
 */
record ByteRange(long start, long endInclusive) {

    long length() {
        return endInclusive - start + 1;
    }

    /** Thrown for a range that is syntactically valid but outside the file: 416. */
    static final class Unsatisfiable extends Exception {
        Unsatisfiable(String message) {
            super(message);
        }
    }

    /**
     * @return the range, or null to serve the whole file (no header, several ranges, or a unit we do not know)
     * @throws Unsatisfiable for a malformed range or one that starts beyond the end
     */
    static ByteRange parse(String header, long size) throws Unsatisfiable {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (!value.startsWith("bytes=")) {
            return null;
        }
        String spec = value.substring("bytes=".length()).strip();
        if (spec.contains(",")) {
            return null;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            throw new Unsatisfiable("malformed range " + spec);
        }
        String first = spec.substring(0, dash).strip();
        String last = spec.substring(dash + 1).strip();
        try {
            if (first.isEmpty()) {
                long suffix = Long.parseLong(last);
                if (suffix <= 0 || size == 0) {
                    throw new Unsatisfiable("empty suffix range " + spec);
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
            if (start < 0 || start >= size || (!last.isEmpty() && Long.parseLong(last) < start)) {
                throw new Unsatisfiable("range " + spec + " outside 0-" + (size - 1));
            }
            return new ByteRange(start, end);
        } catch (NumberFormatException e) {
            throw new Unsatisfiable("malformed range " + spec);
        }
    }
}
