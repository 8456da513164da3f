package io.streammanager.gateway.hls;

/**
 * The LL-HLS delivery directives of a media playlist request: {@code _HLS_msn=M} (hold until segment M is complete)
 * and {@code _HLS_part=P} (with M: until part P of segment M exists). Pure parsing and the readiness rule.
 *
 * @param msn  the requested media sequence number, or -1 when the request does not block
 * @param part the requested part index within {@code msn}, or -1 for the whole segment
 */
record BlockingReload(long msn, int part) {

    static final BlockingReload NONE = new BlockingReload(-1, -1);

    /** Parses the two query values (null when absent); a bad value is an {@link IllegalArgumentException} naming it. */
    static BlockingReload parse(String msn, String part) {
        if (msn == null) {
            if (part != null) {
                throw new IllegalArgumentException("_HLS_part needs _HLS_msn");
            }
            return NONE;
        }
        long m = number("_HLS_msn", msn, Long.MAX_VALUE);
        int p = part == null ? -1 : (int) number("_HLS_part", part, Integer.MAX_VALUE);
        return new BlockingReload(m, p);
    }

    private static long number(String field, String value, long max) {
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(field + " must be a non-negative integer, was '"
                    + (value.length() > 20 ? value.substring(0, 20) + "..." : value) + "'");
        }
        long n = Long.parseLong(value);
        if (n > max) {
            throw new IllegalArgumentException(field + " " + n + " exceeds " + max);
        }
        return n;
    }

    boolean blocks() {
        return msn >= 0;
    }

    /**
     * RFC 8216bis 6.2.5.2: a directive more than two segments past the playlist's last one is answered at once with 400.
     */
    boolean tooFarAhead(MediaWindow.View view) {
        return blocks() && msn > view.openMsn() + 2;
    }

    /** Whether the playlist already holds what was asked for: segment {@code msn} complete, or its part {@code part}. */
    boolean ready(MediaWindow.View view) {
        if (!blocks()) {
            return true;
        }
        long open = view.openMsn();
        if (msn < open) {
            return true;
        }
        return part >= 0 && msn == open && part < view.openParts();
    }
}
