package io.streammanager.composition.api;

import io.streammanager.bus.control.spec.OutputSpec;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Output URLs as shown to operators: an ingest URL carries the platform's stream key in its path
 * ({@code rtmp://host/app/<key>}) or query ({@code ?key=...}), so everything after the application name and
 * every query value is replaced by {@code ***}, and user info is dropped.
 */
public final class OutputUrls {

    static final String MASK = "***";

    private OutputUrls() {
    }

    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        if (OutputSpec.isRecordUrl(url)) {
            return url; // a recording's name, no secret in it
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return MASK;
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return MASK;
        }
        StringBuilder masked = new StringBuilder(uri.getScheme()).append("://");
        if (uri.getRawUserInfo() != null) {
            masked.append(MASK).append('@');
        }
        masked.append(uri.getHost());
        if (uri.getPort() != -1) {
            masked.append(':').append(uri.getPort());
        }
        appendPath(uri.getRawPath(), masked);
        appendQuery(uri.getRawQuery(), masked);
        return masked.toString();
    }

    private static void appendPath(String path, StringBuilder masked) {
        if (path == null || path.isEmpty()) {
            return;
        }
        boolean first = true;
        for (String segment : path.substring(1).split("/", -1)) {
            masked.append('/');
            if (segment.isEmpty()) {
                continue;
            }
            masked.append(first ? segment : MASK);
            first = false;
        }
    }

    private static void appendQuery(String query, StringBuilder masked) {
        if (query == null) {
            return;
        }
        masked.append('?');
        String[] parameters = query.split("&", -1);
        for (int i = 0; i < parameters.length; i++) {
            if (i > 0) {
                masked.append('&');
            }
            int equals = parameters[i].indexOf('=');
            masked.append(equals < 0 ? MASK : parameters[i].substring(0, equals + 1) + MASK);
        }
    }
}
