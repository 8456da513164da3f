package io.streammanager.muxer.recording;

import io.streammanager.bus.control.spec.OutputSpec;

/**
 * The {@code record:} output kind: {@code record:} or {@code record:<name>} in {@code outputs[].url} records the
 * output's rendition into {@code <muxer.recordings.dir>/<streamId>/<name>/} ({@code <name>} defaults to the output's
 * id). Targets carry the normalized {@code record:<recordingId>}.
 */
public final class RecordTargets {
    public static final String SCHEME = OutputSpec.RECORD_SCHEME;

    private RecordTargets() {
    }

    public static boolean isRecord(String url) {
        return OutputSpec.isRecordUrl(url);
    }

    /** {@code record:<recordingId>}: the name in the url, else the output id. */
    public static String normalize(String url, String outputId) {
        String name = url.strip().substring(SCHEME.length()).strip();
        return SCHEME + (name.isEmpty() ? outputId : name);
    }

    /** The recording id of a normalized target url. */
    public static String recordingId(String url) {
        return url.substring(SCHEME.length());
    }

    /** WebM for VP8 (MP4 has no VP8 mapping), fragmented MP4 for everything else. */
    public static String format(String codec) {
        return "vp8".equalsIgnoreCase(codec) ? "webm" : "mp4";
    }
}
