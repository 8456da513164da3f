package io.streammanager.gateway.rtmp.chunk;

import io.netty.buffer.ByteBuf;

/**
 * Splits messages into chunks: a type 0 header on the first chunk, type 3 on the rest (with the extended timestamp
 * repeated when used, as FFmpeg and librtmp expect). Stateless apart from the chunk size, so one encoded message is
 * valid on any connection using the same outbound chunk size: the relay encodes each media message once and shares
 * the bytes between players.
 */
public final class ChunkEncoder {

    private ChunkEncoder() {
    }

    /** Appends {@code payload}'s readable bytes as chunks to {@code out}; does not consume or release payload. */
    public static void encode(int chunkStreamId, int typeId, int streamId, long timestamp, ByteBuf payload,
                              int chunkSize, ByteBuf out) {
        if (chunkStreamId < 2 || chunkStreamId > 65599) {
            throw new IllegalArgumentException("chunk stream id " + chunkStreamId + " outside 2..65599");
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " is not positive");
        }
        int length = payload.readableBytes();
        if (length > 0xFFFFFF) {
            throw new IllegalArgumentException("message length " + length + " exceeds the 24-bit field");
        }
        long ts = timestamp & 0xFFFFFFFFL;
        boolean extended = ts >= ChunkDecoder.EXTENDED_TIMESTAMP_MARKER;
        writeBasicHeader(out, 0, chunkStreamId);
        out.writeMedium(extended ? ChunkDecoder.EXTENDED_TIMESTAMP_MARKER : (int) ts);
        out.writeMedium(length);
        out.writeByte(typeId);
        out.writeIntLE(streamId);
        if (extended) {
            out.writeInt((int) ts);
        }
        int index = payload.readerIndex();
        int end = index + length;
        int first = Math.min(chunkSize, length);
        out.writeBytes(payload, index, first);
        index += first;
        while (index < end) {
            writeBasicHeader(out, 3, chunkStreamId);
            if (extended) {
                out.writeInt((int) ts);
            }
            int n = Math.min(chunkSize, end - index);
            out.writeBytes(payload, index, n);
            index += n;
        }
    }

    /** Upper bound of the encoded size, for sizing buffers. */
    public static int maxEncodedSize(int payloadLength, int chunkSize) {
        int chunks = Math.max(1, (payloadLength + chunkSize - 1) / chunkSize);
        return payloadLength + 3 + 11 + 4 + (chunks - 1) * (3 + 4);
    }

    static void writeBasicHeader(ByteBuf out, int fmt, int chunkStreamId) {
        if (chunkStreamId < 64) {
            out.writeByte((fmt << 6) | chunkStreamId);
        } else if (chunkStreamId < 320) {
            out.writeByte(fmt << 6);
            out.writeByte(chunkStreamId - 64);
        } else {
            out.writeByte((fmt << 6) | 1);
            int id = chunkStreamId - 64;
            out.writeByte(id & 0xFF);
            out.writeByte(id >>> 8);
        }
    }
}
