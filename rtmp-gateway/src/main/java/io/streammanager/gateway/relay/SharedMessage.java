package io.streammanager.gateway.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streammanager.gateway.rtmp.chunk.ChunkEncoder;
import io.streammanager.gateway.rtmp.message.MessageType;
import io.streammanager.gateway.rtmp.session.ServerSession;

/**
 * One media message chunked once (type 0 header, absolute timestamp, our outbound chunk size), shared by every player:
 * each player's write takes a retained duplicate of {@link #chunks()}, never a copy.
 *
 * @param keyframe   a video keyframe (or, on a stream without video, any audio frame): a point a player may start at
 * @param config     a sequence header or metadata, which a player gets even while it skips frames
 */
public record SharedMessage(ByteBuf chunks, int typeId, long timestamp, boolean keyframe, boolean config) {

    /** Chunks {@code payload} (not consumed, not released) for message stream {@link ServerSession#MEDIA_STREAM_ID}. */
    public static SharedMessage encode(ByteBufAllocator alloc, int typeId, long timestamp, ByteBuf payload,
                                       int chunkSize, boolean keyframe, boolean config) {
        ByteBuf chunks = alloc.buffer(ChunkEncoder.maxEncodedSize(payload.readableBytes(), chunkSize));
        ChunkEncoder.encode(chunkStreamFor(typeId), typeId, ServerSession.MEDIA_STREAM_ID, timestamp, payload,
                chunkSize, chunks);
        return new SharedMessage(chunks, typeId, timestamp, keyframe, config);
    }

    private static int chunkStreamFor(int typeId) {
        return switch (typeId) {
            case MessageType.AUDIO -> MessageType.AUDIO_CHUNK_STREAM;
            case MessageType.VIDEO -> MessageType.VIDEO_CHUNK_STREAM;
            default -> MessageType.DATA_CHUNK_STREAM;
        };
    }

    public int size() {
        return chunks.readableBytes();
    }

    /** A new reference to the same bytes, with its own indexes, for one player's write. */
    public ByteBuf share() {
        return chunks.retainedDuplicate();
    }

    public SharedMessage retain() {
        chunks.retain();
        return this;
    }

    public void release() {
        chunks.release();
    }
}
