package io.streammanager.encoder.config;

import java.nio.file.Path;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Everything the encoder service reads from configuration, prefix {@code encoder}. Commands, instance id and
 * heartbeat are the shared control loop's ({@code control.*}, media-bus {@code ControlConfig}).
 */
@ConfigMapping(prefix = "encoder")
public interface EncoderConfig {

    /** Root of the shared-memory ring files ({@code <shm-dir>/<streamId>/frames.ring, packets.ring}). */
    @WithDefault("/dev/shm/stream-manager")
    Path shmDir();

    /** {@code auto} | {@code software} | {@code nvenc} | {@code vaapi} | {@code qsv}. */
    @WithDefault("auto")
    String hardware();

    /** With an explicit hardware encoder that cannot open: use libx264 instead of failing the stream. */
    @WithDefault("false")
    boolean hardwareFallback();

    /** Encoder threads (0 = the encoder decides). */
    @WithDefault("0")
    int threads();

    /**
     * After a stream stops, give the memory its encoders freed back to the system (glibc keeps it in its arenas
     * otherwise, and RSS climbs under stream churn). Off only to measure what it saves (bench/soak.sh).
     */
    @WithDefault("true")
    boolean trimNativeHeapOnStop();

    Ring ring();

    Audio audio();

    Thumbnails thumbnails();

    interface Ring {
        /** Data area of each packet ring in bytes (a power of two). */
        @WithDefault("8388608")
        int packetCapacityBytes();

        /** How long to wait for a stream's frame ring before reporting the stream's error (then keep waiting). */
        @WithDefault("10s")
        Duration openTimeout();

        /** A frame producer silent for this long is reported as gone (the worker keeps waiting for it). */
        @WithDefault("2s")
        Duration producerStaleAfter();

        /** Packet ring heartbeat period while no packet is written. */
        @WithName("heartbeat-interval")
        @WithDefault("100ms")
        Duration heartbeatInterval();
    }

    /**
     * The AAC track every stream carries (players and platforms wait seconds for a second track that never comes).
     * Until the composition mixes real sources, it is silence on the video clock.
     */
    interface Audio {
        /** Without audio the stream is video only (players probe it for seconds before the first frame). */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("48000")
        int sampleRate();

        /** 1 = mono, 2 = stereo (FFmpeg's default layout for the count). */
        @WithDefault("2")
        int channels();

        @WithDefault("128")
        int bitrateKbps();
    }

    /**
     * A JPEG of the program every {@code interval}, scaled straight from a frame slot (one encode per period, never
     * per frame) and kept in Redis: the latest plus a small rolling set, for the console and the composition's
     * thumbnail API.
     */
    interface Thumbnails {
        @WithDefault("true")
        boolean enabled();

        /** Capture-time distance between two thumbnails. */
        @WithDefault("5s")
        Duration interval();

        /** Largest width stored (never wider than the canvas); the height follows the canvas's aspect. */
        @WithDefault("640")
        int width();

        /** JPEG quality 1..100, libjpeg's scale (the original {@code pipeline.quality}). */
        @WithDefault("80")
        int quality();

        /** Thumbnails kept per stream, newest first; older ones are deleted. */
        @WithDefault("10")
        int keep();

        /** Lifetime of each stored thumbnail, so a stream that is gone (or stalled) leaves none behind. */
        @WithDefault("5m")
        Duration ttl();
    }
}
