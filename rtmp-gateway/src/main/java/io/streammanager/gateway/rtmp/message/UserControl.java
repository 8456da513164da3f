package io.streammanager.gateway.rtmp.message;

import io.netty.buffer.ByteBuf;

/**
 * User Control Message (7.1.7): an event type and its data. Stream Begin/EOF/Dry/Is Recorded carry a stream id,
 * Ping Request/Response a timestamp, Set Buffer Length a stream id and a buffer length in ms.
 */
public record UserControl(int eventType, long value, long bufferLengthMs) {

    public static final int TYPE_ID = MessageType.USER_CONTROL;
    public static final int STREAM_BEGIN = 0;
    public static final int STREAM_EOF = 1;
    public static final int STREAM_DRY = 2;
    public static final int SET_BUFFER_LENGTH = 3;
    public static final int STREAM_IS_RECORDED = 4;
    public static final int PING_REQUEST = 6;
    public static final int PING_RESPONSE = 7;

    public static UserControl streamBegin(int streamId) {
        return new UserControl(STREAM_BEGIN, streamId, 0);
    }

    public static UserControl streamEof(int streamId) {
        return new UserControl(STREAM_EOF, streamId, 0);
    }

    public static UserControl pingRequest(long timestamp) {
        return new UserControl(PING_REQUEST, timestamp & 0xFFFFFFFFL, 0);
    }

    public static UserControl pingResponse(long timestamp) {
        return new UserControl(PING_RESPONSE, timestamp & 0xFFFFFFFFL, 0);
    }

    public static UserControl decode(ByteBuf payload) {
        MessageException.requireLength("UserControl", payload, 2);
        int eventType = payload.readUnsignedShort();
        long value = payload.readableBytes() >= 4 ? payload.readUnsignedInt() : 0;
        long bufferLength = eventType == SET_BUFFER_LENGTH && payload.readableBytes() >= 4 ? payload.readUnsignedInt() : 0;
        return new UserControl(eventType, value, bufferLength);
    }

    public void encode(ByteBuf out) {
        out.writeShort(eventType);
        out.writeInt((int) value);
        if (eventType == SET_BUFFER_LENGTH) {
            out.writeInt((int) bufferLengthMs);
        }
    }
}
