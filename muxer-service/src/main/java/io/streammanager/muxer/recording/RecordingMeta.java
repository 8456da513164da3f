package io.streammanager.muxer.recording;

/**
 * What is kept beside a recording's files ({@code recording.json}), so the list survives a muxer restart.
 *
 * @param rendition    the rendition id recorded
 * @param format       "mp4" or "webm"
 * @param startedAt    ISO-8601 instant the recording was asked for
 * @param maxDurationS stop after this many seconds, or null for until the stream stops or a DELETE
 * @param stoppedAt    ISO-8601 instant it was stopped, or null while it may still run
 * @param durationMs   media time written so far (all parts; updated at every part's end and every few seconds)
 */
public record RecordingMeta(String id, String streamId, String rendition, String format, String startedAt,
                            Integer maxDurationS, String stoppedAt, long durationMs) {

    RecordingMeta withDuration(long durationMs) {
        return new RecordingMeta(id, streamId, rendition, format, startedAt, maxDurationS, stoppedAt, durationMs);
    }

    RecordingMeta stopped(String at) {
        return new RecordingMeta(id, streamId, rendition, format, startedAt, maxDurationS, at, durationMs);
    }
}
