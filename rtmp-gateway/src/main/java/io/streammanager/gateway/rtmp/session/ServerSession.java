package io.streammanager.gateway.rtmp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streammanager.gateway.rtmp.RtmpException;
import io.streammanager.gateway.rtmp.amf0.Amf0Reader;
import io.streammanager.gateway.rtmp.amf0.Amf0Writer;
import io.streammanager.gateway.rtmp.chunk.ChunkDecoder;
import io.streammanager.gateway.rtmp.chunk.RawMessage;
import io.streammanager.gateway.rtmp.handshake.ServerHandshake;
import io.streammanager.gateway.rtmp.message.Abort;
import io.streammanager.gateway.rtmp.message.MessageType;
import io.streammanager.gateway.rtmp.message.SetChunkSize;
import io.streammanager.gateway.rtmp.message.UserControl;
import io.streammanager.gateway.rtmp.message.WindowAcknowledgementSize;
import java.util.List;

/**
 * The server side of one RTMP connection as pure protocol: bytes in through {@link #receive(ByteBuf)}, replies and
 * application events out through a {@link SessionHandler}. Handshake, chunk reassembly, protocol control, AMF0
 * commands and the publish/play state live here; relaying, keys and sockets do not.
 *
 * <p>Not thread-safe: one owner (the connection's event loop) calls every method. Errors are {@link RtmpException}s
 * carrying the session's context ("rtmp: publish app=live stream=x: ...").
 */
public final class ServerSession implements AutoCloseable {

    /** The single message stream id we hand out in createStream and send media on. */
    public static final int MEDIA_STREAM_ID = 1;

    public enum Role { NONE, PUBLISHER, PLAYER }

    private final SessionSettings settings;
    private final SessionHandler handler;
    private final ByteBufAllocator alloc;
    private final ServerHandshake handshake = new ServerHandshake();
    private final ChunkDecoder decoder;
    private final Amf0Reader amf0;
    private final CommandHandler commands;

    private int outChunkSize = 128;
    private long bytesReceived;
    private long lastAcknowledged;
    private long peerWindowAckSize;
    private boolean closed;

    String app;
    String tcUrl;
    String streamName;
    Role role = Role.NONE;
    String pendingRequest;
    ClientCapabilities capabilities = ClientCapabilities.LEGACY;

    public ServerSession(SessionSettings settings, SessionHandler handler, ByteBufAllocator alloc) {
        this.settings = settings;
        this.handler = handler;
        this.alloc = alloc;
        this.decoder = new ChunkDecoder(settings.chunkLimits(), alloc);
        this.amf0 = new Amf0Reader(settings.amf0Limits());
        this.commands = new CommandHandler(this);
    }

    /**
     * Takes ownership of {@code data} (bytes just received), appends it to what was left unread before, and handles
     * every complete handshake packet and message; a partial chunk waits for the next call.
     */
    public void receive(ByteBuf data) {
        if (closed) {
            data.release();
            return;
        }
        bytesReceived += data.readableBytes();
        cumulate(data);
        try {
            if (!handshake.isDone()) {
                ByteBuf reply = handshake.process(cumulation, alloc);
                if (reply != null) {
                    handler.write(reply);
                }
                if (!handshake.isDone()) {
                    return;
                }
            }
            RawMessage message;
            while (!closed && (message = decoder.read(cumulation)) != null) {
                dispatch(message);
            }
            acknowledgeIfDue();
        } catch (RtmpException e) {
            throw e.withContext(context());
        } finally {
            if (cumulation != null && !cumulation.isReadable()) {
                cumulation.release();
                cumulation = null;
            }
        }
    }

    private ByteBuf cumulation;

    private void cumulate(ByteBuf data) {
        if (cumulation == null) {
            cumulation = data;
            return;
        }
        try {
            cumulation.discardReadBytes();
            cumulation.ensureWritable(data.readableBytes());
            cumulation.writeBytes(data);
        } finally {
            data.release();
        }
    }

    public boolean handshakeDone() {
        return handshake.isDone();
    }

    private void dispatch(RawMessage message) {
        ByteBuf payload = message.payload();
        boolean transferred = false;
        try {
            switch (message.typeId()) {
                case MessageType.SET_CHUNK_SIZE -> decoder.chunkSize(checkedChunkSize(SetChunkSize.decode(payload)));
                case MessageType.ABORT -> decoder.abort((int) Abort.decode(payload).chunkStreamId());
                case MessageType.ACKNOWLEDGEMENT, MessageType.SET_PEER_BANDWIDTH -> { }
                case MessageType.WINDOW_ACK_SIZE -> peerWindowAckSize = WindowAcknowledgementSize.decode(payload).windowSize();
                case MessageType.USER_CONTROL -> userControl(UserControl.decode(payload));
                case MessageType.COMMAND_AMF0 -> commands.handle(CommandMessage.decode(payload, amf0));
                case MessageType.COMMAND_AMF3 -> {
                    payload.skipBytes(Math.min(1, payload.readableBytes())); // AMF3 command: a format byte, then AMF0
                    commands.handle(CommandMessage.decode(payload, amf0));
                }
                case MessageType.AUDIO, MessageType.VIDEO -> {
                    if (role == Role.PUBLISHER) {
                        transferred = true;
                        handler.onMedia(message.typeId(), message.timestamp(), payload, false);
                    }
                }
                case MessageType.DATA_AMF0 -> transferred = data(message);
                default -> { } // shared objects, AMF3 data, aggregate: not relayed in this version
            }
        } finally {
            if (!transferred) {
                payload.release();
            }
        }
    }

    private static int checkedChunkSize(SetChunkSize message) {
        long size = message.chunkSize();
        if (size > Integer.MAX_VALUE) {
            throw new RtmpException(RtmpException.Category.PROTOCOL, "set chunk size " + size + " has the high bit set");
        }
        return (int) size;
    }

    private void userControl(UserControl event) {
        if (event.eventType() == UserControl.PING_REQUEST) {
            handler.write(batch().userControl(UserControl.pingResponse(event.value())).take());
        }
    }

    /** Data message: {@code @setDataFrame, onMetaData, obj} is stored as {@code onMetaData, obj}. */
    private boolean data(RawMessage message) {
        if (role != Role.PUBLISHER) {
            return false;
        }
        ByteBuf payload = message.payload();
        RtmpException.checkLimit("metadata size", payload.readableBytes(), settings.maxMetadataBytes());
        List<Object> values = amf0.readAll(payload.duplicate());
        if (!values.isEmpty() && "@setDataFrame".equals(values.get(0))) {
            values = values.subList(1, values.size());
        }
        if (values.isEmpty()) {
            return false;
        }
        ByteBuf stored = alloc.buffer(payload.readableBytes());
        values.forEach(v -> Amf0Writer.write(stored, v));
        handler.onMedia(MessageType.DATA_AMF0, message.timestamp(), stored, "onMetaData".equals(values.get(0)));
        return false;
    }

    private void acknowledgeIfDue() {
        if (peerWindowAckSize > 0 && bytesReceived - lastAcknowledged >= peerWindowAckSize) {
            lastAcknowledged = bytesReceived;
            handler.write(batch().acknowledgement(bytesReceived & 0xFFFFFFFFL).take());
        }
    }

    /** Sends a Ping Request carrying {@code timestampMs}; the peer answers with a Ping Response. */
    public void ping(long timestampMs) {
        if (handshake.isDone() && !closed) {
            handler.write(batch().userControl(UserControl.pingRequest(timestampMs)).take());
        }
    }

    /** Publish accepted: Stream Begin and NetStream.Publish.Start in one write. */
    public void acceptPublish() {
        role = Role.PUBLISHER;
        handler.write(batch().userControl(UserControl.streamBegin(MEDIA_STREAM_ID))
                .command(MEDIA_STREAM_ID, "onStatus", 0.0, null,
                        Status.status(Status.PUBLISH_START, streamName + " is now published."))
                .take());
    }

    /** Publish refused with an error status (code e.g. {@link Status#PUBLISH_BAD_AUTH}); the caller then closes. */
    public void refusePublish(String code, String description) {
        handler.write(batch().command(MEDIA_STREAM_ID, "onStatus", 0.0, null, Status.error(code, description)).take());
    }

    /** Play accepted: Stream Begin, Play.Reset, Play.Start and |RtmpSampleAccess in one write. */
    public void acceptPlay() {
        role = Role.PLAYER;
        handler.write(batch().userControl(UserControl.streamBegin(MEDIA_STREAM_ID))
                .command(MEDIA_STREAM_ID, "onStatus", 0.0, null, Status.status(Status.PLAY_RESET, "Playing and resetting " + streamName + "."))
                .command(MEDIA_STREAM_ID, "onStatus", 0.0, null, Status.status(Status.PLAY_START, "Started playing " + streamName + "."))
                .data(MEDIA_STREAM_ID, "|RtmpSampleAccess", true, true)
                .take());
    }

    public void refusePlay(String description) {
        handler.write(batch().command(MEDIA_STREAM_ID, "onStatus", 0.0, null, Status.error(Status.PLAY_FAILED, description)).take());
    }

    /** Tells a player the stream ended: Stream EOF and NetStream.Play.UnpublishNotify. */
    public void endPlay(String description) {
        if (role == Role.PLAYER && !closed) {
            handler.write(batch().userControl(UserControl.streamEof(MEDIA_STREAM_ID))
                    .command(MEDIA_STREAM_ID, "onStatus", 0.0, null, Status.status(Status.PLAY_UNPUBLISH_NOTIFY, description))
                    .take());
        }
    }

    OutboundBatch batch() {
        return new OutboundBatch(alloc, outChunkSize);
    }

    void outChunkSize(int size) {
        outChunkSize = size;
    }

    SessionSettings settings() {
        return settings;
    }

    SessionHandler handler() {
        return handler;
    }

    /** The chunk size everything after connect is sent with; media encoded elsewhere must use the same. */
    public int outChunkSize() {
        return outChunkSize;
    }

    public String app() {
        return app;
    }

    public String streamName() {
        return streamName;
    }

    /** What the client's connect said about Enhanced RTMP ({@link ClientCapabilities#LEGACY} before connect). */
    public ClientCapabilities capabilities() {
        return capabilities;
    }

    public Role role() {
        return role;
    }

    public long bytesReceived() {
        return bytesReceived;
    }

    /** "rtmp: publish app=live stream=x" style prefix for errors and logs ("rtmp" before connect). */
    public String context() {
        StringBuilder context = new StringBuilder();
        if (pendingRequest != null) {
            context.append(' ').append(pendingRequest);
        }
        if (app != null) {
            context.append(" app=").append(app);
        }
        if (streamName != null) {
            context.append(" stream=").append(streamName);
        }
        return context.isEmpty() ? "rtmp" : "rtmp:" + context;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            decoder.close();
            if (cumulation != null) {
                cumulation.release();
                cumulation = null;
            }
        }
    }
}
