package io.streammanager.gateway.rtmp.session;

import io.streammanager.gateway.rtmp.amf0.Amf0Limits;
import io.streammanager.gateway.rtmp.chunk.ChunkLimits;

/**
 * Protocol settings of one session.
 *
 * @param outChunkSize     the chunk size we announce and send with
 * @param windowAckSize    the acknowledgement window we announce (and the peer bandwidth)
 * @param maxMetadataBytes largest onMetaData payload stored for players
 * @param maxStreams       message streams (NetStreams) one connection may have open at once
 */
public record SessionSettings(ChunkLimits chunkLimits, Amf0Limits amf0Limits, int outChunkSize, int windowAckSize,
                              int maxMetadataBytes, int maxStreams) {

    public static final SessionSettings DEFAULTS =
            new SessionSettings(ChunkLimits.DEFAULTS, Amf0Limits.DEFAULTS, 4096, 2_500_000, 64 * 1024, 8);

    public SessionSettings {
        if (maxStreams < 1) {
            throw new IllegalArgumentException("max streams per connection " + maxStreams + " must be at least 1");
        }
    }
}
