package io.streammanager.composition.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.streammanager.composition.sources.HardwareDecoders;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    Assets assets();

    Sources sources();

    interface Assets {
        /** Largest upload accepted; a longer body is refused while it is read, without buffering it. */
        @WithDefault("256M")
        MemorySize maxBytes();

        /**
         * Assets up to this size are kept in Redis, where every instance reads them; larger ones go to
         * {@code composition.assets.dir}, or are refused when no directory is configured.
         */
        @WithDefault("8M")
        MemorySize redisMaxBytes();

        /** A directory every composition instance mounts (a shared volume) for the large assets; none by default. */
        Optional<Path> dir();

        /** Largest picture an http(s) image layer may download. */
        @WithDefault("16M")
        MemorySize maxFetchBytes();

        /** Time limit for fetching an image URL. */
        @WithDefault("10s")
        Duration fetchTimeout();
    }

    interface Sources {
        /**
         * Hosts (names or addresses) that sources and image URLs may reach even though they resolve to loopback,
         * link-local or private addresses: set it to the gateway's own address (the local run sets
         * {@code COMPOSITION_SOURCES_ALLOWED_HOSTS=127.0.0.1}).
         */
        Optional<List<String>> allowedHosts();

        /** Address ranges (CIDR, e.g. 10.0.0.0/8) allowed in the same way. */
        Optional<List<String>> allowedCidrs();

        /** Whether public addresses are allowed (true), or only the allowed hosts and ranges. */
        @WithDefault("true")
        boolean allowPublic();

        /**
         * Decoded frames a video source may queue ahead of the frame clock (the original pipeline setting
         * {@code maxQueueSize}); when full, the oldest is dropped and counted.
         */
        @WithDefault("4")
        int maxQueueSize();

        /**
         * Hardware decoding of video sources: {@code auto} (NVDEC, else Quick Sync, where the device can be created
         * and FFmpeg has the decoder; software otherwise), {@code nvdec}, {@code qsv}, or {@code none}.
         */
        @WithDefault("auto")
        HardwareDecoders.Mode hwDecode();

        /** A live source without a new frame for this long is {@code stalled}. */
        @WithDefault("500ms")
        Duration stallAfter();

        /** A read that gets no data for this long ends the connection, which is then reopened. */
        @WithDefault("2s")
        Duration readTimeout();

        /** First wait before reconnecting a failed source; doubled per failure up to {@code reconnect-max}. */
        @WithDefault("200ms")
        Duration reconnectMin();

        @WithDefault("1s")
        Duration reconnectMax();

        /**
         * How much decoded sound a source may queue ahead of the mixer (at 48 kHz); when full, the oldest samples
         * are dropped and counted. It must hold what a file's interleaving puts ahead of the pictures.
         */
        @WithDefault("2s")
        Duration audioQueue();
    }

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
