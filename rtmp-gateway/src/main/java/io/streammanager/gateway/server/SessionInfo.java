package io.streammanager.gateway.server;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one session for the API. {@code role} is none, publisher, player (RTMP) or http-flv-player /
 * ws-flv-player; {@code stream} and {@code role} describe the session's first stream (lowest message stream id), and
 * {@code streams} every stream of an RTMP connection that publishes or plays several at once.
 */
public record SessionInfo(String id, String app, String stream, String role, String remoteAddress, long bytesIn,
                          long bytesOut, Instant started, List<Stream> streams) {

    public SessionInfo {
        streams = streams == null ? List.of() : List.copyOf(streams);
    }

    /** One stream of a session: its RTMP message stream id (0 for HTTP/WS-FLV), name, role and control-plane id. */
    public record Stream(int messageStreamId, String name, String role, String streamId) {
    }
}
