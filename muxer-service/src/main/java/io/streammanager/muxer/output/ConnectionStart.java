package io.streammanager.muxer.output;

import io.streammanager.bus.shm.CodecConfig;
import java.util.Objects;

/**
 * What a new connection of an output starts from: the configs of its tracks (from the start keyframe) and the
 * wall-clock capture time of timestamp 0 on the connection, for players that measure latency.
 *
 * @param video                 the video track's config
 * @param audio                 the audio track's config, or null for a video-only stream
 * @param captureEpochUsAtZero  capture time (µs since the epoch) of the instant the connection's timestamp 0 shows
 */
public record ConnectionStart(CodecConfig video, CodecConfig audio, long captureEpochUsAtZero) {

    public ConnectionStart {
        Objects.requireNonNull(video, "video");
    }

    /** A video-only start without a known capture time. */
    public static ConnectionStart videoOnly(CodecConfig video) {
        return new ConnectionStart(video, null, 0);
    }

    public boolean hasAudio() {
        return audio != null;
    }
}
