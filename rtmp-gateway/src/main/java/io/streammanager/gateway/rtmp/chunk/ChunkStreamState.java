package io.streammanager.gateway.rtmp.chunk;

import io.netty.buffer.ByteBuf;

/** What the decoder remembers about one chunk stream between chunks (the previous header, a partial message). */
final class ChunkStreamState {
    boolean hasHeader;
    long timestamp;
    /** The raw timestamp field of the last header: absolute for type 0, delta for types 1 and 2; reused by type 3. */
    long timestampField;
    boolean extendedTimestamp;
    int messageLength;
    int typeId;
    int streamId;
    /** Reassembly buffer of the message in progress, or null between messages. */
    ByteBuf partial;

    void releasePartial() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }
}
