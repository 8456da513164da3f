package io.streammanager.muxer.output;

import io.streammanager.ffmpeg.UrlMasking;
import java.util.Objects;

/**
 * Where an output goes. {@code url} may carry a secret (the gateway key, a platform's stream key): it is never logged,
 * exported or put in an event; use {@link #maskedUrl()} or the id.
 *
 * @param gateway   true for the stream's own gateway outputs (their retries never stop, and they feed the latency
 *                  timer)
 * @param rendition the packet ring rendition this output carries (0: the stream's main one)
 */
public record OutputTarget(String id, String url, String format, boolean gateway, int rendition) {

    public OutputTarget {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(format, "format");
        if (rendition < 0) {
            throw new IllegalArgumentException("rendition=" + rendition + " must be >= 0");
        }
    }

    /** An output of the main rendition. */
    public OutputTarget(String id, String url, String format, boolean gateway) {
        this(id, url, format, gateway, 0);
    }

    public String maskedUrl() {
        return UrlMasking.mask(url);
    }

    @Override
    public String toString() {
        return "OutputTarget[id=" + id + ", url=" + maskedUrl() + ", format=" + format + ", gateway=" + gateway + ", rendition="
                + rendition + "]";
    }
}
