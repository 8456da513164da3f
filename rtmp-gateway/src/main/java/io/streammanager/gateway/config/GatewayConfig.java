package io.streammanager.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the gateway reads from configuration, under {@code gateway.}. The seed design's RTMP fields map as
 * {@code port -> gateway.rtmp.port}, {@code chunk_size -> gateway.rtmp.chunk-size}, {@code gop_cache ->
 * gateway.gop-cache.enabled}, {@code ping -> gateway.rtmp.ping}, {@code ping_timeout -> gateway.rtmp.ping-timeout}.
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    Rtmp rtmp();

    Playback playback();

    Limits limits();

    GopCache gopCache();

    Player player();

    Control control();

    Auth auth();

    Publish publish();

    EnhancedRtmp enhancedRtmp();

    Rtmps rtmps();

    Hls hls();

    /**
     * LL-HLS on the playback listener ({@code /hls/<name>/master.m3u8}) for every H.264 stream: CMAF segments cut at
     * keyframes, parts, blocking playlist reload. Packaged off the event loops by {@code workers} threads.
     */
    interface Hls {
        @WithDefault("true")
        boolean enabled();

        /** A segment ends at the first keyframe once it is this long (publishers with longer GOPs get longer ones). */
        @WithDefault("2s")
        Duration segmentTarget();

        /** A part ends at the frame that brings it to about this long, and at every keyframe. */
        @WithDefault("200ms")
        Duration partTarget();

        /** Complete segments kept per stream (the sliding window). */
        @WithDefault("6")
        int windowSegments();

        /** Bound of one stream's window in bytes; the oldest segments are evicted first (hls_segments_evicted_total). */
        @WithDefault("33554432")
        long maxBytesPerStream();

        /** Messages queued per stream for packaging; beyond, they are dropped (hls_dropped_messages_total). */
        @WithDefault("1024")
        int queueMessages();

        /** Blocking requests (playlist reloads, preload hints) one stream may hold; beyond, a 503. */
        @WithDefault("512")
        int maxWaiting();

        /** How long a blocking request waits for its segment or part before a 503. */
        @WithDefault("6s")
        Duration blockTimeout();

        /** How long a stream's playlist outlives its publisher, so a reconnect continues it. */
        @WithDefault("10s")
        Duration retention();

        /** Threads packaging all streams (FFmpeg's mp4 muxer). */
        @WithDefault("2")
        int workers();
    }

    interface Rtmp {
        /** Address the RTMP listener binds. */
        @WithDefault("127.0.0.1")
        String host();

        @WithDefault("1935")
        int port();

        /**
         * Listener instances sharing the port, each on its own event loop (Vert.x round-robins accepted connections);
         * 0 means one per available processor; a configured port 0 always gets one.
         */
        @WithDefault("0")
        int eventLoops();

        /** Our outbound chunk size, announced with Set Chunk Size after connect. */
        @WithDefault("4096")
        int chunkSize();

        /** Window Acknowledgement Size and Set Peer Bandwidth we announce. */
        @WithDefault("2500000")
        int windowAckSize();

        /** Interval between Ping Requests to each peer. */
        @WithDefault("30s")
        Duration ping();

        /** A peer that sent nothing (not even a Ping Response) for this long is closed. */
        @WithDefault("60s")
        Duration pingTimeout();

        /** Time from TCP accept to a completed handshake. */
        @WithDefault("5s")
        Duration handshakeTimeout();

        /** A connection that neither publishes nor plays is closed after this long. */
        @WithDefault("30s")
        Duration idleTimeout();
    }

    /**
     * The public HTTP listener for players (HTTP-FLV and WebSocket-FLV at {@code /live/{name}.flv}) and nothing else.
     * The APIs, health, metrics and OpenAPI are on Quarkus' HTTP server ({@code quarkus.http.port}), a private port:
     * exposing playback exposes no API.
     */
    interface Playback {
        @WithDefault("127.0.0.1")
        String host();

        /** 0 picks a free port (tests); the bound one is {@code PlaybackServer.actualPort()}. */
        @WithDefault("8080")
        int port();

        /**
         * Where players reach the playback listener ({@code https://play.example.com}, no path), for the URLs in a
         * play-token answer. Absent: the host the API request reached, with the playback port, over plain HTTP.
         */
        Optional<String> publicBaseUrl();
    }

    interface Limits {
        @WithDefault("1000")
        int maxConnections();

        /** Message streams (NetStreams) one RTMP connection may have open at once: createStream beyond gets _error. */
        @WithDefault("8")
        int maxStreamsPerConnection();

        /** Largest message length a chunk header may announce. */
        @WithDefault("4194304")
        int maxMessageSize();

        /** Largest Set Chunk Size accepted from a peer. */
        @WithDefault("65536")
        int maxChunkSize();

        /** Distinct chunk stream ids one peer may use. */
        @WithDefault("64")
        int maxChunkStreams();

        /** Largest onMetaData / @setDataFrame payload. */
        @WithDefault("65536")
        int maxMetadataSize();

        /** Nesting depth of AMF0 objects and arrays. */
        @WithDefault("16")
        int maxAmfDepth();
    }

    interface GopCache {
        /** Keep the messages since the last keyframe so new players start with a picture. */
        @WithDefault("true")
        boolean enabled();

        /** Bound of one stream's GOP cache in bytes; a GOP beyond it is dropped whole. */
        @WithDefault("8388608")
        long maxBytes();
    }

    interface Player {
        /** Bytes queued to one player's socket before it counts as behind (Vert.x write queue max size). */
        @WithDefault("2097152")
        int queueBytes();

        /** How long a player may stay behind (skipping to keyframes) before it is disconnected. */
        @WithDefault("10s")
        Duration maxBehind();

        /**
         * How long an audio message may wait in a player's socket buffer for the next video message, so both go out
         * in one write (half the writes and wake-ups per player). Video is always written at once; 0 writes every
         * message at once. Audio-only streams are never held.
         */
        @WithDefault("50ms")
        Duration audioHold();
    }

    /** Commands themselves are the shared control loop's ({@code control.*}); this is the gateway's own Redis use. */
    interface Control {
        /** Time allowed for a stream-key lookup in Redis before the publish is refused. */
        @WithDefault("3s")
        Duration authTimeout();
    }

    interface Auth {
        /** Failed authentications from one source address within {@link #failureWindow()} that block it. */
        @WithDefault("5")
        int maxFailures();

        @WithDefault("60s")
        Duration failureWindow();

        /** How long a blocked address's publish attempts are refused without a key lookup. */
        @WithDefault("60s")
        Duration blockDuration();

        /** Source addresses remembered at once; beyond it the least recently seen is forgotten (and counted). */
        @WithDefault("10000")
        int maxTrackedAddresses();

        /** Whether a player must present a key with scope play for the stream ({@code ?key=...}). */
        @WithDefault("false")
        boolean playRequiresKey();

        /**
         * Secret (at least 32 characters) that signs play tokens ({@code ?token=...}, from POST /api/v1/play-tokens);
         * absent or empty = tokens off. When set, play is protected: a player needs a valid token or a play key.
         */
        Optional<String> playTokenSecret();

        /** Longest lifetime a play token may be issued for. */
        @WithDefault("24h")
        Duration playTokenMaxTtl();
    }

    interface EnhancedRtmp {
        /**
         * Refuse E-RTMP video (hvc1, av01, vp09...) to a player whose connect carried no fourCcList/videoFourCcInfoMap
         * at all. Off by default: ffmpeg plays such streams without announcing them. A player that sent a list
         * without the stream's codec is always refused.
         */
        @WithDefault("false")
        boolean refuseUnsignalledPlayers();
    }

    interface Rtmps {
        /** A second listener speaking RTMP over TLS, relaying to and from the same streams as plain RTMP. */
        @WithDefault("false")
        boolean enabled();

        @WithDefault("127.0.0.1")
        String host();

        /** 1936 by convention for RTMPS beside 1935; 443 where clients expect the HTTPS port. */
        @WithDefault("1936")
        int port();

        /** PEM certificate chain; required when enabled. */
        Optional<String> certPath();

        /** PEM private key (PKCS#8 or PKCS#1); required when enabled. */
        Optional<String> keyPath();

        /** Time allowed for the TLS handshake; defaults to {@code gateway.rtmp.handshake-timeout}. */
        Optional<Duration> sslHandshakeTimeout();
    }

    interface Publish {
        /** What a second publisher of a stream name meets: refused, or it replaces the first. */
        enum ConflictPolicy { REJECT, TAKEOVER }

        /** {@code reject}: the newcomer gets NetStream.Publish.BadName; {@code takeover}: the old publisher is closed. */
        @WithDefault("reject")
        ConflictPolicy conflictPolicy();

        /**
         * How long RTMP players stay attached, told nothing, after their publisher left: a publisher that comes back
         * within it resumes them at its next keyframe. After it they get Stream EOF and Play.UnpublishNotify.
         */
        @WithDefault("10s")
        Duration reconnectGrace();
    }
}
