package io.streammanager.gateway.rtmp.message;

import io.netty.buffer.ByteBuf;

/** Set Chunk Size (5.4.1): the sender's new maximum chunk payload size. */
public record SetChunkSize(long chunkSize) {

    public static final int TYPE_ID = MessageType.SET_CHUNK_SIZE;

    public static SetChunkSize decode(ByteBuf payload) {
        MessageException.requireLength("SetChunkSize", payload, 4);
        return new SetChunkSize(payload.readUnsignedInt());
    }

    public void encode(ByteBuf out) {
        out.writeInt((int) chunkSize);
    }
}
