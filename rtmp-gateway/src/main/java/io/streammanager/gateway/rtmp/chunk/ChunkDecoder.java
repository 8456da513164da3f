package io.streammanager.gateway.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streammanager.gateway.rtmp.RtmpException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reassembles RTMP messages from a chunk stream (RTMP 1.0 section 5.3). Pure code over a buffer: feed it the bytes
 * received so far and it returns each complete message; a partial chunk is left unread until more bytes arrive, so
 * the same input split at any byte boundary gives the same messages.
 *
 * <p>Header types: 0 (11 bytes, absolute timestamp), 1 (7 bytes, delta, new length and type), 2 (3 bytes, delta
 * only), 3 (none: continuation, or a new message repeating the previous header and delta). A timestamp field of
 * 0xFFFFFF means a 4-byte extended timestamp follows, also on type 3 chunks of that chunk stream.
 *
 * <p>One owner (the connection's session); not thread-safe.
 */
public final class ChunkDecoder implements AutoCloseable {

    public static final int DEFAULT_CHUNK_SIZE = 128;
    static final int EXTENDED_TIMESTAMP_MARKER = 0xFFFFFF;
    private static final int[] MESSAGE_HEADER_SIZE = {11, 7, 3, 0};

    private final ChunkLimits limits;
    private final ByteBufAllocator alloc;
    private final Map<Integer, ChunkStreamState> streams = new HashMap<>();
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private RawMessage completed;

    public ChunkDecoder(ChunkLimits limits, ByteBufAllocator alloc) {
        this.limits = limits;
        this.alloc = alloc;
    }

    /** Returns the next complete message, or null when {@code in} holds no further complete chunk. */
    public RawMessage read(ByteBuf in) {
        while (readChunk(in)) {
            if (completed != null) {
                RawMessage message = completed;
                completed = null;
                return message;
            }
        }
        return null;
    }

    /** Applies the peer's Set Chunk Size to the chunks that follow. */
    public void chunkSize(int size) {
        if (size < 1) {
            throw new ChunkException("set chunk size " + size + " is not positive");
        }
        try {
            RtmpException.checkLimit("chunk size", size, limits.maxChunkSize());
        } catch (RtmpException e) {
            throw e.withContext("chunk");
        }
        chunkSize = size;
    }

    public int chunkSize() {
        return chunkSize;
    }

    /** Abort Message: drops the partial message of one chunk stream. */
    public void abort(int chunkStreamId) {
        ChunkStreamState state = streams.get(chunkStreamId);
        if (state != null) {
            state.releasePartial();
        }
    }

    /** Reads one whole chunk if available; false if more bytes are needed (nothing consumed then). */
    private boolean readChunk(ByteBuf in) {
        int readable = in.readableBytes();
        if (readable < 1) {
            return false;
        }
        int pos = in.readerIndex();
        int first = in.getUnsignedByte(pos++);
        int fmt = first >>> 6;
        int csid = first & 0x3F;
        if (csid == 0) {
            if (readable < 2) {
                return false;
            }
            csid = 64 + in.getUnsignedByte(pos++);
        } else if (csid == 1) {
            if (readable < 3) {
                return false;
            }
            csid = 64 + in.getUnsignedByte(pos) + (in.getUnsignedByte(pos + 1) << 8);
            pos += 2;
        }
        int headerEnd = pos + MESSAGE_HEADER_SIZE[fmt];
        if (in.writerIndex() < headerEnd) {
            return false;
        }
        ChunkStreamState state = streams.get(csid);
        if (fmt != 0 && (state == null || !state.hasHeader)) {
            throw new ChunkException("csid=" + csid + ": header type " + fmt + " without a previous type 0 header");
        }
        boolean continuation = state != null && state.partial != null;
        if (continuation && fmt != 3) {
            throw new ChunkException("csid=" + csid + ": header type " + fmt + " while a message of "
                    + state.messageLength + " bytes is incomplete (" + state.partial.readableBytes() + " read)");
        }
        long timestampField;
        int length;
        int typeId;
        int streamId;
        boolean extended;
        if (fmt == 3) {
            timestampField = state.timestampField;
            extended = state.extendedTimestamp;
        } else {
            timestampField = in.getUnsignedMedium(pos);
            extended = timestampField == EXTENDED_TIMESTAMP_MARKER;
        }
        length = fmt <= 1 ? in.getUnsignedMedium(pos + 3) : state.messageLength;
        typeId = fmt <= 1 ? in.getUnsignedByte(pos + 6) : state.typeId;
        streamId = fmt == 0 ? in.getIntLE(pos + 7) : state.streamId;
        pos = headerEnd;
        if (extended) {
            if (in.writerIndex() < pos + 4) {
                return false;
            }
            if (!continuation) {
                timestampField = in.getUnsignedInt(pos);
            }
            pos += 4;
        }
        if (!continuation) {
            try {
                RtmpException.checkLimit("message length", length, limits.maxMessageSize());
            } catch (RtmpException e) {
                throw e.withContext("chunk: csid=" + csid + " type=" + typeId);
            }
        }
        int alreadyRead = continuation ? state.partial.readableBytes() : 0;
        int payloadBytes = Math.min(chunkSize, length - alreadyRead);
        if (in.writerIndex() < pos + payloadBytes) {
            return false;
        }
        if (state == null) {
            if (streams.size() >= limits.maxChunkStreams()) {
                throw new RtmpException(RtmpException.Category.LIMIT, "chunk: chunk streams in use "
                        + (streams.size() + 1) + " exceeds limit " + limits.maxChunkStreams());
            }
            state = new ChunkStreamState();
            streams.put(csid, state);
        }
        in.readerIndex(pos);
        if (!continuation) {
            state.timestamp = fmt == 0 ? timestampField : (state.timestamp + timestampField) & 0xFFFFFFFFL;
            state.timestampField = timestampField;
            state.extendedTimestamp = extended;
            state.messageLength = length;
            state.typeId = typeId;
            state.streamId = streamId;
            state.hasHeader = true;
            if (payloadBytes == length) {
                ByteBuf payload = alloc.buffer(length);
                payload.writeBytes(in, length);
                completed = new RawMessage(csid, typeId, streamId, state.timestamp, payload);
                return true;
            }
            state.partial = alloc.buffer(Math.min(length, 4 * chunkSize), length);
        }
        state.partial.writeBytes(in, payloadBytes);
        if (state.partial.readableBytes() == state.messageLength) {
            completed = new RawMessage(csid, state.typeId, state.streamId, state.timestamp, state.partial);
            state.partial = null;
        }
        return true;
    }

    /** Releases partial messages. */
    @Override
    public void close() {
        streams.values().forEach(ChunkStreamState::releasePartial);
        streams.clear();
    }
}
