package io.streammanager.gateway.rtmp.message;

import io.streammanager.gateway.rtmp.RtmpException;

/** A message's payload does not have the layout its type requires. */
public final class MessageException extends RtmpException {
    public MessageException(String message) {
        super(Category.PROTOCOL, "message: " + message);
    }

    static void requireLength(String name, io.netty.buffer.ByteBuf payload, int min) {
        if (payload.readableBytes() < min) {
            throw new MessageException(name + " payload " + payload.readableBytes() + " bytes, needs " + min);
        }
    }
}
