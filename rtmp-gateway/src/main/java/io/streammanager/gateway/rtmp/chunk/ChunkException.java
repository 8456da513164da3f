package io.streammanager.gateway.rtmp.chunk;

import io.streammanager.gateway.rtmp.RtmpException;

/** The chunk stream is malformed (header without a predecessor, bad chunk size, ...). */
public final class ChunkException extends RtmpException {
    public ChunkException(String message) {
        super(Category.PROTOCOL, "chunk: " + message);
    }
}
