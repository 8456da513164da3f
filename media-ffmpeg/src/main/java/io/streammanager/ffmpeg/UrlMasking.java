package io.streammanager.ffmpeg;

import java.util.regex.Pattern;

/**
 * Hides secrets in URLs inside any text before it reaches a log line or a status: the value of a {@code key=},
 * {@code token=} or {@code passphrase=} (SRT) parameter, the user info of any URL, and the last path segment of
 * rtmp(s) URLs (where platforms put their stream keys). Free text in, the same text with {@code ***} out.
 */
public final class UrlMasking {
    private static final Pattern SECRET_PARAMETER = Pattern.compile("(?i)((?:key|token|passphrase)=)[^&\\s'\"]*");
    private static final Pattern USER_INFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^\\s/@?#'\"]+@");
    private static final Pattern RTMP_LAST_SEGMENT =
            Pattern.compile("(?i)(rtmps?://[^\\s/]+(?:/[^\\s/?]*)*/)([^\\s/?'\"]+)");

    private UrlMasking() {
    }

    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = SECRET_PARAMETER.matcher(text).replaceAll("$1***");
        masked = USER_INFO.matcher(masked).replaceAll("$1***@");
        return RTMP_LAST_SEGMENT.matcher(masked).replaceAll("$1***");
    }
}
