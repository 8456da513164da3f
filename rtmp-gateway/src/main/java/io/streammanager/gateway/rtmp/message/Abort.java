package io.streammanager.gateway.rtmp.message;

import io.netty.buffer.ByteBuf;

/** Abort Message (5.4.2): discard the partial message of a chunk stream. */
public record Abort(long chunkStreamId) {

    public static final int TYPE_ID = MessageType.ABORT;

    public static Abort decode(ByteBuf payload) {
        MessageException.requireLength("Abort", payload, 4);
        return new Abort(payload.readUnsignedInt());
    }

    public void encode(ByteBuf out) {
        out.writeInt((int) chunkStreamId);
    }
}
