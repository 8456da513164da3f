package io.streammanager.bus.control.spec;

import java.util.regex.Pattern;

/**
 * An extra destination the muxer pushes to, e.g. an RTMP(S) ingest URL of a platform (which holds its key). Its
 * {@code id} is its identity across updates: an output whose id and settings stay the same is never touched.
 *
 * @param enabled   false pauses the output without forgetting it; null means true
 * @param retry     its reconnect policy; null (or a null field) takes the muxer's defaults
 * @param rendition the id of the rendition it carries; null means the first
 */
public record OutputSpec(String id, String url, Boolean enabled, RetrySpec retry, String rendition) {

    /**
     * The url of a recording output: {@code record:} or {@code record:<name>}. The muxer records the output's rendition
     * to its recording volume instead of pushing it anywhere; the url holds no secret.
     */
    public static final Pattern RECORD_URL = Pattern.compile("record:([A-Za-z0-9_-]{1,64})?");
    public static final String RECORD_SCHEME = "record:";

    /** True for a url of the {@code record:} kind (well formed or not: the validator says which). */
    public static boolean isRecordUrl(String url) {
        return url != null && url.strip().regionMatches(true, 0, RECORD_SCHEME, 0, RECORD_SCHEME.length());
    }

    public OutputSpec(String id, String url) {
        this(id, url, null, null, null);
    }

    public OutputSpec(String id, String url, Boolean enabled, RetrySpec retry) {
        this(id, url, enabled, retry, null);
    }

    public boolean enabledOrDefault() {
        return enabled == null || enabled;
    }
}
