package io.streammanager.gateway.rtmp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streammanager.gateway.rtmp.amf0.Amf0Limits;
import io.streammanager.gateway.rtmp.amf0.Amf0Reader;
import io.streammanager.gateway.rtmp.amf0.Amf0Writer;
import io.streammanager.gateway.rtmp.chunk.ChunkDecoder;
import io.streammanager.gateway.rtmp.chunk.ChunkEncoder;
import io.streammanager.gateway.rtmp.chunk.ChunkLimits;
import io.streammanager.gateway.rtmp.chunk.RawMessage;
import io.streammanager.gateway.rtmp.handshake.ServerHandshake;
import io.streammanager.gateway.rtmp.message.MessageType;
import io.streammanager.gateway.rtmp.message.SetChunkSize;
import java.util.ArrayList;
import java.util.List;

/**
 * A scripted RTMP client over a {@link ServerSession} and a recording {@link SessionHandler}: builds client bytes,
 * decodes what the server wrote (after S0+S1+S2) into messages with AMF0 bodies.
 */
final class FakeClient implements SessionHandler, AutoCloseable {

    record Reply(int typeId, int streamId, long timestamp, List<Object> amf, byte[] raw) {
    }

    final List<PublishRequest> publishRequests = new ArrayList<>();
    final List<PlayRequest> playRequests = new ArrayList<>();
    final List<String> media = new ArrayList<>();
    final List<Integer> writeSizes = new ArrayList<>();
    /** The last publish or play request per message stream id, for {@link #acceptPublish(int)}/{@link #acceptPlay(int)}. */
    final java.util.Map<Integer, PublishRequest> lastPublish = new java.util.HashMap<>();
    final java.util.Map<Integer, PlayRequest> lastPlay = new java.util.HashMap<>();
    final List<Integer> unpublishedIds = new ArrayList<>();
    final List<Integer> playStoppedIds = new ArrayList<>();
    final List<String> limits = new ArrayList<>();
    int unpublished;
    final ServerSession session;
    private final ByteBuf written = Unpooled.buffer();
    private final ChunkDecoder replies = new ChunkDecoder(ChunkLimits.DEFAULTS, ByteBufAllocator.DEFAULT);
    private boolean handshakeSkipped;

    FakeClient() {
        session = new ServerSession(SessionSettings.DEFAULTS, this, ByteBufAllocator.DEFAULT);
    }

    void handshake() {
        ByteBuf c = Unpooled.buffer();
        c.writeByte(3).writeZero(2 * ServerHandshake.PACKET_SIZE);
        session.receive(c);
    }

    void command(int streamId, Object... values) {
        ByteBuf body = Unpooled.buffer();
        Amf0Writer.writeAll(body, values);
        send(MessageType.COMMAND_CHUNK_STREAM, MessageType.COMMAND_AMF0, streamId, 0, body);
    }

    void send(int csid, int typeId, int streamId, long timestamp, ByteBuf body) {
        ByteBuf out = Unpooled.buffer();
        ChunkEncoder.encode(csid, typeId, streamId, timestamp, body, 128, out);
        body.release();
        session.receive(out);
    }

    /** Decodes everything the server wrote since the last call. */
    List<Reply> replies() {
        if (!handshakeSkipped) {
            written.skipBytes(1 + 2 * ServerHandshake.PACKET_SIZE);
            handshakeSkipped = true;
        }
        List<Reply> out = new ArrayList<>();
        RawMessage m;
        while ((m = replies.read(written)) != null) {
            try {
                byte[] raw = io.netty.buffer.ByteBufUtil.getBytes(m.payload());
                List<Object> amf = m.typeId() == MessageType.COMMAND_AMF0 || m.typeId() == MessageType.DATA_AMF0
                        ? new Amf0Reader(Amf0Limits.DEFAULTS).readAll(m.payload()) : List.of();
                if (m.typeId() == SetChunkSize.TYPE_ID) {
                    replies.chunkSize((int) SetChunkSize.decode(m.payload()).chunkSize());
                }
                out.add(new Reply(m.typeId(), m.streamId(), m.timestamp(), amf, raw));
            } finally {
                m.payload().release();
            }
        }
        written.discardReadBytes();
        return out;
    }

    /** Accepts the last publish request on message stream 1. */
    boolean acceptPublish() {
        return acceptPublish(1);
    }

    boolean acceptPublish(int streamId) {
        return session.acceptPublish(streamId, lastPublish.get(streamId));
    }

    boolean acceptPlay(int streamId) {
        return session.acceptPlay(streamId, lastPlay.get(streamId));
    }

    @Override
    public void onPublishRequest(int streamId, PublishRequest request) {
        publishRequests.add(request);
        lastPublish.put(streamId, request);
    }

    @Override
    public void onPlayRequest(int streamId, PlayRequest request) {
        playRequests.add(request);
        lastPlay.put(streamId, request);
    }

    @Override
    public void onStreamLimit(String description) {
        limits.add(description);
    }

    @Override
    public void onMedia(int streamId, int typeId, long timestamp, ByteBuf payload, boolean metadata) {
        try {
            List<Object> amf = typeId == MessageType.DATA_AMF0 ? new Amf0Reader(Amf0Limits.DEFAULTS).readAll(payload.duplicate()) : List.of();
            media.add((streamId == 1 ? "" : streamId + ":") + typeId + "@" + timestamp + (metadata ? " metadata " : " ")
                    + (amf.isEmpty() ? payload.readableBytes() : amf));
        } finally {
            payload.release();
        }
    }

    @Override
    public void onUnpublish(int streamId) {
        unpublished++;
        unpublishedIds.add(streamId);
    }

    @Override
    public void onPlayStop(int streamId) {
        playStoppedIds.add(streamId);
    }

    @Override
    public void write(ByteBuf bytes) {
        writeSizes.add(bytes.readableBytes());
        written.writeBytes(bytes);
        bytes.release();
    }

    @Override
    public void close() {
        session.close();
        replies.close();
        written.release();
    }
}
