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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server side of one RTMP connection as pure protocol: bytes in through {@link #receive(ByteBuf)}, replies and
 * application events out through a {@link SessionHandler}. Handshake, chunk reassembly, protocol control, AMF0
 * commands and the publish/play state live here; relaying, keys and sockets do not.
 *
 * <p>Not thread-safe: one owner (the connection's event loop) calls every method. Errors are {@link RtmpException}s
 * carrying the session's context ("rtmp: publish app=live stream=x: ...").
 */
public final class ServerSession implements AutoCloseable {

    /**
     * The first message stream id createStream hands out, and the one shared media is chunked for (players on other
     * ids get a patched header, see SharedMessage). A publish or play sent on message stream 0 counts as this one.
     */
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
    /** Open message streams by id, at most {@link SessionSettings#maxStreams()}. */
    final Map<Integer, NetStream> streams = new TreeMap<>();
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
                case MessageType.COMMAND_AMF0 -> commands.handle(CommandMessage.decode(payload, amf0), message.streamId());
                case MessageType.COMMAND_AMF3 -> {
                    payload.skipBytes(Math.min(1, payload.readableBytes())); // AMF3 command: a format byte, then AMF0
                    commands.handle(CommandMessage.decode(payload, amf0), message.streamId());
                }
                case MessageType.AUDIO, MessageType.VIDEO -> {
                    int streamId = netStreamId(message.streamId());
                    if (role(streamId) == Role.PUBLISHER) {
                        transferred = true;
                        handler.onMedia(streamId, message.typeId(), message.timestamp(), payload, false);
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
        int streamId = netStreamId(message.streamId());
        if (role(streamId) != Role.PUBLISHER) {
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
        handler.onMedia(streamId, MessageType.DATA_AMF0, message.timestamp(), stored, "onMetaData".equals(values.get(0)));
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

    /**
     * Publish accepted: Stream Begin and NetStream.Publish.Start on {@code streamId} in one write. False (and nothing
     * sent) if {@code request} is no longer that stream's pending request (deleteStream came first).
     */
    public boolean acceptPublish(int streamId, PublishRequest request) {
        NetStream stream = answered(streamId, request);
        if (stream == null) {
            return false;
        }
        stream.role = Role.PUBLISHER;
        handler.write(batch().userControl(UserControl.streamBegin(streamId))
                .command(streamId, "onStatus", 0.0, null,
                        Status.status(Status.PUBLISH_START, stream.name + " is now published."))
                .take());
        return true;
    }

    /**
     * Publish refused, or a running publish ended by the server (taken over), with an error status on
     * {@code streamId} (code e.g. {@link Status#PUBLISH_BAD_AUTH}); that stream stops, the others go on.
     */
    public void refusePublish(int streamId, String code, String description) {
        stopQuietly(streamId);
        errorStatus(streamId, code, description);
    }

    /** An error onStatus on {@code streamId}, leaving that stream's state alone. */
    void errorStatus(int streamId, String code, String description) {
        handler.write(batch().command(streamId, "onStatus", 0.0, null, Status.error(code, description)).take());
    }

    /**
     * Play accepted: Stream Begin, Play.Reset, Play.Start and |RtmpSampleAccess on {@code streamId} in one write.
     * False (and nothing sent) if {@code request} is no longer that stream's pending request.
     */
    public boolean acceptPlay(int streamId, PlayRequest request) {
        NetStream stream = answered(streamId, request);
        if (stream == null) {
            return false;
        }
        stream.role = Role.PLAYER;
        handler.write(batch().userControl(UserControl.streamBegin(streamId))
                .command(streamId, "onStatus", 0.0, null, Status.status(Status.PLAY_RESET, "Playing and resetting " + stream.name + "."))
                .command(streamId, "onStatus", 0.0, null, Status.status(Status.PLAY_START, "Started playing " + stream.name + "."))
                .data(streamId, "|RtmpSampleAccess", true, true)
                .take());
        return true;
    }

    /** Play refused (or ended by the server) with NetStream.Play.Failed on {@code streamId}; the others go on. */
    public void refusePlay(int streamId, String description) {
        stopQuietly(streamId);
        errorStatus(streamId, Status.PLAY_FAILED, description);
    }

    /** Tells the player of {@code streamId} its stream ended: Stream EOF and NetStream.Play.UnpublishNotify. */
    public void endPlay(int streamId, String description) {
        if (role(streamId) == Role.PLAYER && !closed) {
            handler.write(batch().userControl(UserControl.streamEof(streamId))
                    .command(streamId, "onStatus", 0.0, null, Status.status(Status.PLAY_UNPUBLISH_NOTIFY, description))
                    .take());
        }
    }

    /**
     * The server ended {@code streamId}'s publish or play (a StopStream): a player gets Stream EOF and
     * NetStream.Play.Stop, a publisher an error NetStream.Publish.Denied, each with {@code description}; the message
     * stream is then free for another publish or play. Nothing happens on a stream that neither publishes nor plays.
     */
    public void stopStream(int streamId, String description) {
        Role role = role(streamId);
        if (closed || role == Role.NONE) {
            return;
        }
        OutboundBatch batch = batch();
        if (role == Role.PLAYER) {
            batch.userControl(UserControl.streamEof(streamId))
                    .command(streamId, "onStatus", 0.0, null, Status.status(Status.PLAY_STOP, description));
        } else {
            batch.command(streamId, "onStatus", 0.0, null, Status.error(Status.PUBLISH_DENIED, description));
        }
        stopQuietly(streamId);
        handler.write(batch.take());
    }

    /** Whether {@code request} still waits for its answer on {@code streamId} (no deleteStream or close since). */
    public boolean pending(int streamId, Object request) {
        NetStream stream = streams.get(streamId);
        return !closed && stream != null && stream.pendingRequest == request;
    }

    private NetStream answered(int streamId, Object request) {
        NetStream stream = streams.get(streamId);
        if (closed || stream == null || stream.pendingRequest != request) {
            return null;
        }
        stream.pendingRequest = null;
        return stream;
    }

    private void stopQuietly(int streamId) {
        NetStream stream = streams.get(streamId);
        if (stream != null) {
            stream.stop();
        }
    }

    /** A publish or play on message stream 0 (the NetConnection's) is taken as meant for the first NetStream. */
    static int netStreamId(int messageStreamId) {
        return messageStreamId == 0 ? MEDIA_STREAM_ID : messageStreamId;
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

    /** The stream name of message stream {@code streamId}'s publish or play, or null. */
    public String streamName(int streamId) {
        NetStream stream = streams.get(streamId);
        return stream == null ? null : stream.name;
    }

    /** What the client's connect said about Enhanced RTMP ({@link ClientCapabilities#LEGACY} before connect). */
    public ClientCapabilities capabilities() {
        return capabilities;
    }

    /** What message stream {@code streamId} does ({@link Role#NONE} for an unknown id or one not yet answered). */
    public Role role(int streamId) {
        NetStream stream = streams.get(streamId);
        return stream == null ? Role.NONE : stream.role;
    }

    /** Message streams that publish, play or wait for the answer to a publish or play. */
    public int activeStreams() {
        int active = 0;
        for (NetStream stream : streams.values()) {
            if (stream.busy()) {
                active++;
            }
        }
        return active;
    }

    public long bytesReceived() {
        return bytesReceived;
    }

    /**
     * "rtmp: publish app=live stream=x" style prefix for errors and logs ("rtmp" before connect); with several
     * streams "rtmp: app=live streams=[1 publish a, 2 play b]".
     */
    public String context() {
        List<NetStream> named = new ArrayList<>();
        for (NetStream stream : streams.values()) {
            if (stream.name != null) {
                named.add(stream);
            }
        }
        if (named.size() == 1) {
            return context(named.getFirst().id);
        }
        StringBuilder context = new StringBuilder();
        if (app != null) {
            context.append(" app=").append(app);
        }
        if (!named.isEmpty()) {
            context.append(" streams=[");
            for (int i = 0; i < named.size(); i++) {
                NetStream stream = named.get(i);
                context.append(i > 0 ? ", " : "").append(stream.id).append(' ').append(stream.verb).append(' ').append(stream.name);
            }
            context.append(']');
        }
        return context.isEmpty() ? "rtmp" : "rtmp:" + context;
    }

    /** The context of one message stream: "rtmp: publish app=live stream=x" (with " msid=2" past the first id). */
    public String context(int streamId) {
        NetStream stream = streams.get(streamId);
        StringBuilder context = new StringBuilder();
        if (stream != null && stream.verb != null) {
            context.append(' ').append(stream.verb);
        }
        if (app != null) {
            context.append(" app=").append(app);
        }
        if (stream != null && stream.name != null) {
            context.append(" stream=").append(stream.name);
        }
        if (streamId != MEDIA_STREAM_ID) {
            context.append(" msid=").append(streamId);
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
