package io.streammanager.composition.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Every setting of the composition service, under {@code composition.*}. Commands, instance id and heartbeat are
 * the shared control loop's ({@code control.*}, media-bus {@code ControlConfig}).
 */
@ConfigMapping(prefix = "composition")
public interface CompositionConfig {

    /** Root of the shared-memory rings; each stream gets {@code <shm-dir>/<streamId>/frames.ring}. */
    @WithDefault("/dev/shm/stream-manager")
    Path shmDir();

    Ring ring();

    Gateway gateway();

    Limits limits();

    Render render();

    interface Ring {
        /** Slots in each frame ring: enough for an encoder hiccup, small enough for tmpfs (~1.4 MB each at 720p). */
        @WithDefault("8")
        int slots();

        /**
         * Whether a shutdown deletes the ring files (keeping /dev/shm clean) or only unmaps them, so that a
         * restarted instance takes the same files over and readers keep their mapping and see the generation bump.
         * Redis state is kept either way: a shutdown is not a delete.
         */
        @WithDefault("true")
        boolean deleteOnShutdown();
    }

    interface Gateway {
        /** Where players pull a stream; the view's playbackUrl is {@code <playback-base-url>/<name>}. */
        @WithDefault("rtmp://127.0.0.1:1935/live")
        String playbackBaseUrl();
    }

    interface Limits {
        /** Streams this instance renders at most; further creates are refused with 429. */
        @WithDefault("16")
        int maxStreams();
    }

    interface Render {
        /** A render loop that has not produced a frame for this long makes the service not live. */
        @WithDefault("2s")
        Duration stallTimeout();

        /** How long a stop waits for a render thread to finish its frame before giving up on it. */
        @WithDefault("1s")
        Duration stopTimeout();
    }
}
