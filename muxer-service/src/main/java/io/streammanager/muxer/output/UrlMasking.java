package io.streammanager.muxer.output;

import java.util.regex.Pattern;

/**
 * Hides secrets in URLs before they reach a log line: the value of any {@code key=} parameter, and the last path
 * segment of rtmp(s) URLs (where platforms put their stream keys).
 */
public final class UrlMasking {
    private static final Pattern KEY_PARAMETER = Pattern.compile("(?i)(key=)[^&\\s'\"]*");
    private static final Pattern RTMP_LAST_SEGMENT =
            Pattern.compile("(?i)(rtmps?://[^\\s/]+(?:/[^\\s/?]*)*/)([^\\s/?'\"]+)");

    private UrlMasking() {
    }

    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = KEY_PARAMETER.matcher(text).replaceAll("$1***");
        return RTMP_LAST_SEGMENT.matcher(masked).replaceAll("$1***");
    }
}
