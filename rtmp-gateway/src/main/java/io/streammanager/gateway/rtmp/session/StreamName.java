package io.streammanager.gateway.rtmp.session;

import io.streammanager.gateway.rtmp.RtmpException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A stream name as a client sends it ({@code name?key=secret&x=y}), split into the name and the {@code key} query
 * parameter. {@link #toString()} never shows the key.
 */
public record StreamName(String name, String key) {

    public static StreamName parse(String raw) {
        if (raw == null) {
            return new StreamName("", null);
        }
        int q = raw.indexOf('?');
        if (q < 0) {
            return new StreamName(raw, null);
        }
        return new StreamName(raw.substring(0, q), queryParameter(raw.substring(q + 1), "key"));
    }

    /** The value of {@code parameter} in an URL's query string ({@code ...?a=b&key=c}), or null. */
    public static String queryParameter(String urlOrQuery, String parameter) {
        if (urlOrQuery == null) {
            return null;
        }
        int q = urlOrQuery.indexOf('?');
        String query = q >= 0 ? urlOrQuery.substring(q + 1) : urlOrQuery;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (name.equals(parameter)) {
                try {
                    return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) { // bad %-escape; the message would echo the value, so drop it
                    throw new RtmpException(RtmpException.Category.PROTOCOL, "malformed %-escape in query parameter " + parameter);
                }
            }
        }
        return null;
    }

    /** {@code url} with any key or token parameter's value replaced, for logs. */
    public static String mask(String url) {
        return url == null ? null : url.replaceAll("(?i)((?:key|token)=)[^&/\\s]*", "$1***");
    }

    @Override
    public String toString() {
        return name + (key != null ? "?key=***" : "");
    }
}
