package io.streammanager.muxer.recording;

import java.util.List;

/**
 * A recording as the API shows it.
 *
 * @param state      {@code recording} while an output writes it, else {@code finished}
 * @param path       its first part file on the recording volume ({@code GET .../file} downloads it)
 * @param bytes      all parts together
 * @param durationMs media time written (all parts)
 * @param parts      every part file, oldest first ({@code GET .../file?part=i})
 */
public record RecordingView(String id, String streamId, String rendition, String format, String state,
                            String startedAt, String stoppedAt, Integer maxDurationS, String path, long bytes,
                            long durationMs, List<Part> parts) {

    public record Part(String path, long bytes) {
    }
}
