package io.streammanager.bus.control.spec;

/**
 * An extra destination the muxer pushes to, e.g. an RTMP(S) ingest URL of a platform (which holds its key). Its
 * {@code id} is its identity across updates: an output whose id and settings stay the same is never touched.
 *
 * @param enabled   false pauses the output without forgetting it; null means true
 * @param retry     its reconnect policy; null (or a null field) takes the muxer's defaults
 * @param rendition the id of the rendition it carries; null means the first
 */
public record OutputSpec(String id, String url, Boolean enabled, RetrySpec retry, String rendition) {

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
