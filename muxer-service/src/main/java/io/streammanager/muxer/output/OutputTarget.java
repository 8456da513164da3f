package io.streammanager.muxer.output;

import java.util.Objects;

/**
 * Where an output goes. {@code url} may carry a secret (the gateway key, a platform's stream key): it is never logged,
 * exported or put in an event; use {@link #maskedUrl()} or the id.
 *
 * @param gateway true for the stream's own gateway output (its retries never stop, and it feeds the latency timer)
 */
public record OutputTarget(String id, String url, String format, boolean gateway) {

    public OutputTarget {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(format, "format");
    }

    public String maskedUrl() {
        return UrlMasking.mask(url);
    }

    @Override
    public String toString() {
        return "OutputTarget[id=" + id + ", url=" + maskedUrl() + ", format=" + format + ", gateway=" + gateway + "]";
    }
}
