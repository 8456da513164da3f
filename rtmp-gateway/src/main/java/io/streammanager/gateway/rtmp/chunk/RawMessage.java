package io.streammanager.gateway.rtmp.chunk;

import io.netty.buffer.ByteBuf;

/**
 * One reassembled RTMP message as the chunk layer sees it: header fields and the payload. The receiver owns
 * {@code payload} and must release it.
 *
 * @param chunkStreamId the chunk stream it arrived on
 * @param typeId        message type id (1..6 control, 8 audio, 9 video, 18 data, 20 command, ...)
 * @param streamId      message stream id
 * @param timestamp     32-bit timestamp in milliseconds, unsigned
 */
public record RawMessage(int chunkStreamId, int typeId, int streamId, long timestamp, ByteBuf payload) {
}
