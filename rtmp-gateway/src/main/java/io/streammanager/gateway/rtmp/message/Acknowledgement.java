package io.streammanager.gateway.rtmp.message;

import io.netty.buffer.ByteBuf;

/** Acknowledgement (5.4.3): bytes received so far (mod 2^32). */
public record Acknowledgement(long sequenceNumber) {

    public static final int TYPE_ID = MessageType.ACKNOWLEDGEMENT;

    public static Acknowledgement decode(ByteBuf payload) {
        MessageException.requireLength("Acknowledgement", payload, 4);
        return new Acknowledgement(payload.readUnsignedInt());
    }

    public void encode(ByteBuf out) {
        out.writeInt((int) sequenceNumber);
    }
}
