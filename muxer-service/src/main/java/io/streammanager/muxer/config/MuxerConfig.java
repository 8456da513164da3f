package io.streammanager.muxer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The muxer's configuration. The seed's muxer fields map as: maxQueueSize -> {@code muxer.queue.max-packets},
 * retryAttempts -> {@code muxer.retry.attempts}, retryDelay -> {@code muxer.retry.delay}; the seed's outputs list is
 * per stream (the spec's outputs plus the gateway output).
 */
@ConfigMapping(prefix = "muxer")
public interface MuxerConfig {

    /** Root of the shared-memory rings: {@code <shm-dir>/<streamId>/packets.ring}. */
    @WithDefault("/dev/shm/stream-manager")
    Path shmDir();

    /** How long the distributor waits for the encoder's packet ring before trying again. */
    @WithDefault("5s")
    Duration ringOpenTimeout();

    /**
     * Seed {@code outputs}: extra outputs every stream is sent to besides the gateway and its spec's outputs, as
     * URLs or file paths with the placeholders {@code {id}} and {@code {name}} (e.g. a recording per stream:
     * {@code /var/recordings/{name}-{id}.flv}). They get ids {@code default-1}, {@code default-2}, ...
     */
    Optional<java.util.List<String>> outputs();

    Gateway gateway();

    Queue queue();

    Retry retry();

    Io io();

    Status status();

    Recordings recordings();

    interface Recordings {
        /** Where recordings go: {@code <dir>/<streamId>/<recordingId>/part-<UTC start>.mp4} (or .webm). */
        @WithDefault("/var/lib/stream-manager/recordings")
        Path dir();

        /** A recording's file is split at the first keyframe after this many minutes. */
        @WithDefault("60")
        int segmentMinutes();

        /** Finished parts older than this are deleted by the sweep. */
        @WithDefault("7d")
        Duration maxAge();

        /** All recordings together are kept under this many bytes: the sweep deletes the oldest parts first. */
        @WithDefault("53687091200")
        long maxBytes();

        /** How often the retention sweep (and the maxDurationS check) runs. */
        @WithDefault("30s")
        Duration sweepInterval();
    }

    interface Status {
        /** How often each running stream's output statuses are rewritten to Redis (also on every state change). */
        @WithDefault("1s")
        Duration interval();
    }

    interface Gateway {
        /** The stream is published to {@code <publish-base-url>/<stream name>?key=<gateway key>}. */
        @WithDefault("rtmp://127.0.0.1:1935/live")
        String publishBaseUrl();
    }

    interface Queue {
        /**
         * Seed maxQueueSize: packets (video and audio) one output may hold before it drops to a keyframe. 180 is about
         * 2 s of a 30 fps stream with its AAC track (about 47 packets per second), one GOP at the default interval.
         */
        @WithDefault("180")
        int maxPackets();

        /** Bytes one output may hold before it drops to a keyframe. */
        @WithDefault("16777216")
        long maxBytes();
    }

    interface Retry {
        /**
         * Seed retryAttempts: consecutive failures before a platform output gives up; 0 = forever (a platform that
         * is down for a minute must not end the show). An output's spec may set its own ({@code retry.attempts}).
         */
        @WithDefault("0")
        int attempts();

        /**
         * Seed retryDelay: the first backoff ceiling; it doubles per attempt up to max-delay (full jitter). An output's
         * spec may set its own ({@code retry.delayMs}, {@code retry.maxDelayMs}).
         */
        @WithDefault("1s")
        Duration delay();

        @WithDefault("30s")
        Duration maxDelay();

        /** Attempts for the gateway output; 0 = retry forever. */
        @WithDefault("0")
        int gatewayAttempts();
    }

    interface Io {
        /** Bound on connecting and writing the header. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Bound on any one write or the trailer: a dead peer cannot hang an output longer. */
        @WithDefault("5s")
        Duration writeTimeout();

        /**
         * An RTMP connection whose peer acknowledges no byte this long while bytes are owed is stalled: it is dropped
         * and reconnected (LIVE means the platform receives).
         */
        @WithDefault("10s")
        Duration stallTimeout();
    }
}
