package io.streammanager.gateway.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;
import io.streammanager.gateway.flv.FlvTags;
import io.streammanager.gateway.rtmp.chunk.ChunkDecoder;
import io.streammanager.gateway.rtmp.chunk.ChunkEncoder;
import io.streammanager.gateway.rtmp.chunk.ChunkLimits;
import io.streammanager.gateway.rtmp.chunk.RawMessage;
import io.streammanager.gateway.rtmp.message.MessageType;
import io.streammanager.gateway.rtmp.session.ServerSession;

/**
 * One media message encoded once and shared by every player: RTMP chunks (type 0 header, absolute timestamp, our
 * outbound chunk size) built eagerly, and an FLV tag built on first use by an HTTP-FLV player. A player's write
 * takes a retained duplicate ({@link #share()}, {@link #shareFlv()}), never a copy. Reference counted: the relay
 * and the GOP cache each hold a reference.
 *
 * <p>{@code keyframe}: a point a player may start at (a video keyframe, or any audio frame on a stream without
 * video). {@code config}: a sequence header or metadata, which a player gets even while it skips frames.
 */
public final class SharedMessage extends AbstractReferenceCounted {

    private final ByteBuf chunks;
    private final int typeId;
    private final long timestamp;
    private final int chunkSize;
    private final boolean keyframe;
    private final boolean config;
    private final ByteBufAllocator alloc;
    private ByteBuf flvTag;

    private SharedMessage(ByteBuf chunks, int typeId, long timestamp, int chunkSize, boolean keyframe, boolean config,
                          ByteBufAllocator alloc) {
        this.chunks = chunks;
        this.typeId = typeId;
        this.timestamp = timestamp;
        this.chunkSize = chunkSize;
        this.keyframe = keyframe;
        this.config = config;
        this.alloc = alloc;
    }

    /**
     * Chunks {@code payload} (not consumed, not released) for message stream {@link ServerSession#MEDIA_STREAM_ID};
     * {@link #share(int)} serves players on other message streams from the same bytes.
     */
    public static SharedMessage encode(ByteBufAllocator alloc, int typeId, long timestamp, ByteBuf payload,
                                       int chunkSize, boolean keyframe, boolean config) {
        ByteBuf chunks = alloc.buffer(ChunkEncoder.maxEncodedSize(payload.readableBytes(), chunkSize));
        ChunkEncoder.encode(chunkStreamFor(typeId), typeId, ServerSession.MEDIA_STREAM_ID, timestamp, payload,
                chunkSize, chunks);
        return new SharedMessage(chunks, typeId, timestamp, chunkSize, keyframe, config, alloc);
    }

    private static int chunkStreamFor(int typeId) {
        return switch (typeId) {
            case MessageType.AUDIO -> MessageType.AUDIO_CHUNK_STREAM;
            case MessageType.VIDEO -> MessageType.VIDEO_CHUNK_STREAM;
            default -> MessageType.DATA_CHUNK_STREAM;
        };
    }

    public int typeId() {
        return typeId;
    }

    public long timestamp() {
        return timestamp;
    }

    public boolean keyframe() {
        return keyframe;
    }

    public boolean config() {
        return config;
    }

    /** Size of the RTMP encoding, which the GOP cache bound counts. */
    public int size() {
        return chunks.readableBytes();
    }

    /** A new reference to the RTMP chunk bytes, with its own indexes, for one player's write. */
    public ByteBuf share() {
        return chunks.retainedDuplicate();
    }

    /**
     * The chunk bytes for a player on message stream {@code messageStreamId}. For {@link ServerSession#MEDIA_STREAM_ID}
     * that is {@link #share()}; for another id a composite of a patched copy of the first chunk's header (the only one
     * carrying the message stream id: the rest are type 3) and a retained slice of everything after it, so the
     * payload is still shared, never re-chunked or copied.
     */
    public ByteBuf share(int messageStreamId) {
        if (messageStreamId == ServerSession.MEDIA_STREAM_ID) {
            return share();
        }
        int basicHeader = basicHeaderLength(chunks.getByte(chunks.readerIndex()));
        int header = basicHeader + TYPE0_HEADER_LENGTH;
        // direct like the chunks: a composite with one heap part is not direct, and the transport would copy it whole
        ByteBuf patched = chunks.isDirect() ? alloc.directBuffer(header, header) : alloc.heapBuffer(header, header);
        patched.writeBytes(chunks, chunks.readerIndex(), header);
        patched.setIntLE(basicHeader + MESSAGE_STREAM_ID_OFFSET, messageStreamId);
        ByteBuf rest = chunks.retainedSlice(chunks.readerIndex() + header, chunks.readableBytes() - header);
        return alloc.compositeBuffer(2).addComponents(true, patched, rest);
    }

    /** A type 0 message header after the basic header: timestamp (3), length (3), type (1), message stream id (4). */
    private static final int TYPE0_HEADER_LENGTH = 11;
    private static final int MESSAGE_STREAM_ID_OFFSET = 7;

    /** 1, 2 or 3 bytes by the chunk stream id field of the first byte (0: 2-byte form, 1: 3-byte form). */
    private static int basicHeaderLength(byte first) {
        return switch (first & 0x3F) {
            case 0 -> 2;
            case 1 -> 3;
            default -> 1;
        };
    }

    /** A new reference to the FLV tag bytes (tag + PreviousTagSize), built once from the chunks on first call. */
    public synchronized ByteBuf shareFlv() {
        if (flvTag == null) {
            ChunkDecoder dechunker = new ChunkDecoder(new ChunkLimits(Math.max(128, chunkSize), 0xFFFFFF, 1), alloc);
            dechunker.chunkSize(chunkSize);
            RawMessage message = dechunker.read(chunks.duplicate());
            try {
                ByteBuf tag = alloc.buffer(FlvTags.TAG_HEADER_SIZE + message.payload().readableBytes() + 4);
                FlvTags.writeTag(tag, typeId, timestamp, message.payload());
                flvTag = tag;
            } finally {
                message.payload().release();
                dechunker.close();
            }
        }
        return flvTag.retainedDuplicate();
    }

    @Override
    public SharedMessage retain() {
        super.retain();
        return this;
    }

    @Override
    public SharedMessage touch(Object hint) {
        chunks.touch(hint);
        return this;
    }

    @Override
    protected synchronized void deallocate() {
        chunks.release();
        if (flvTag != null) {
            flvTag.release();
            flvTag = null;
        }
    }
}
