package io.streammanager.gateway.rtmp.message;

import io.netty.buffer.ByteBuf;

/** Set Peer Bandwidth (5.4.5): the peer's output window; limit type 0 hard, 1 soft, 2 dynamic. */
public record SetPeerBandwidth(long windowSize, int limitType) {

    public static final int TYPE_ID = MessageType.SET_PEER_BANDWIDTH;
    public static final int LIMIT_DYNAMIC = 2;

    public static SetPeerBandwidth decode(ByteBuf payload) {
        MessageException.requireLength("SetPeerBandwidth", payload, 5);
        return new SetPeerBandwidth(payload.readUnsignedInt(), payload.readUnsignedByte());
    }

    public void encode(ByteBuf out) {
        out.writeInt((int) windowSize);
        out.writeByte(limitType);
    }
}
