package io.streammanager.gateway.rtmp.message;

import io.netty.buffer.ByteBuf;

/** Window Acknowledgement Size (5.4.4): acknowledge after this many bytes. */
public record WindowAcknowledgementSize(long windowSize) {

    public static final int TYPE_ID = MessageType.WINDOW_ACK_SIZE;

    public static WindowAcknowledgementSize decode(ByteBuf payload) {
        MessageException.requireLength("WindowAcknowledgementSize", payload, 4);
        return new WindowAcknowledgementSize(payload.readUnsignedInt());
    }

    public void encode(ByteBuf out) {
        out.writeInt((int) windowSize);
    }
}
