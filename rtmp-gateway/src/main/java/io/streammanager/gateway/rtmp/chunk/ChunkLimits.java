package io.streammanager.gateway.rtmp.chunk;

/**
 * Limits on what a peer may make us hold while reassembling its chunk stream.
 *
 * @param maxChunkSize     largest Set Chunk Size we accept from the peer
 * @param maxMessageSize   largest message length a chunk header may announce
 * @param maxChunkStreams  number of distinct chunk stream ids a peer may use on one connection
 */
public record ChunkLimits(int maxChunkSize, int maxMessageSize, int maxChunkStreams) {

    public static final ChunkLimits DEFAULTS = new ChunkLimits(65536, 4 * 1024 * 1024, 64);

    public ChunkLimits {
        if (maxChunkSize < 128 || maxMessageSize < 1 || maxChunkStreams < 1) {
            throw new IllegalArgumentException("chunk limits too small: maxChunkSize=" + maxChunkSize
                    + " maxMessageSize=" + maxMessageSize + " maxChunkStreams=" + maxChunkStreams);
        }
    }
}
