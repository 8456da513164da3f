package io.streammanager.gateway.rtmp.session;

import io.streammanager.gateway.rtmp.RtmpException;
import io.streammanager.gateway.rtmp.amf0.Amf0Undefined;
import java.util.LinkedHashMap;
import java.util.Map;

/** Answers the NetConnection and NetStream commands of one {@link ServerSession}. */
final class CommandHandler {

    private final ServerSession session;

    CommandHandler(ServerSession session) {
        this.session = session;
    }

    /** {@code messageStreamId}: the id in the command's message header (0 for NetConnection commands). */
    void handle(CommandMessage command, int messageStreamId) {
        if (session.app == null && !"connect".equals(command.name())) {
            throw new RtmpException(RtmpException.Category.PROTOCOL,
                    "command " + command.name() + " before connect");
        }
        switch (command.name()) {
            case "connect" -> connect(command);
            case "releaseStream", "FCPublish" -> result(command, null, Amf0Undefined.INSTANCE);
            case "getStreamLength" -> result(command, null, 0.0); // a live stream has no length
            case "createStream" -> createStream(command);
            case "publish" -> publish(command, ServerSession.netStreamId(messageStreamId));
            case "play" -> play(command, ServerSession.netStreamId(messageStreamId));
            case "closeStream" -> stop(session.streams.get(ServerSession.netStreamId(messageStreamId)));
            case "deleteStream" -> deleteStream(command, messageStreamId);
            case "FCUnpublish" -> fcUnpublish(command);
            default -> { } // _checkbw, setPeerInfo and friends need no answer
        }
    }

    private void connect(CommandMessage command) {
        if (session.app != null) {
            throw new RtmpException(RtmpException.Category.PROTOCOL, "second connect on one connection");
        }
        String app = command.property("app");
        if (app == null) {
            throw new RtmpException(RtmpException.Category.PROTOCOL, "connect without an app");
        }
        int q = app.indexOf('?');
        session.app = q >= 0 ? app.substring(0, q) : app;
        session.tcUrl = command.property("tcUrl");
        session.capabilities = ClientCapabilities.fromConnect(command.commandObject());
        SessionSettings settings = session.settings();
        OutboundBatch batch = session.batch()
                .windowAckSize(settings.windowAckSize())
                .peerBandwidth(settings.windowAckSize())
                .setChunkSize(settings.outChunkSize());
        session.outChunkSize(settings.outChunkSize());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("fmsVer", "FMS/3,0,1,123");
        properties.put("capabilities", 31.0);
        if (session.capabilities.signalled()) {
            properties.putAll(ClientCapabilities.serverProperties());
        }
        Map<String, Object> info = Status.status(Status.CONNECT_SUCCESS, "Connection succeeded.");
        info.put("objectEncoding", 0.0);
        session.handler().write(batch.command(0, "_result", command.transactionId(), properties, info).take());
    }

    /**
     * Hands out the lowest free message stream id from 1 up to the limit; beyond it the call gets {@code _error} and
     * the connection (with its running streams) stays.
     */
    private void createStream(CommandMessage command) {
        int max = session.settings().maxStreams();
        // ids a client picked itself without createStream count too, so the loop alone is not the bound
        for (int id = ServerSession.MEDIA_STREAM_ID; id <= max && session.streams.size() < max; id++) {
            if (!session.streams.containsKey(id)) {
                session.streams.put(id, new NetStream(id));
                result(command, null, (double) id);
                return;
            }
        }
        String description = "createStream refused: this connection already has " + max
                + " streams open (gateway.limits.max-streams-per-connection); deleteStream one first";
        session.handler().onStreamLimit(description);
        if (command.transactionId() != 0) {
            session.handler().write(session.batch().command(0, "_error", command.transactionId(), null,
                    Status.error(Status.CALL_FAILED, description)).take());
        }
    }

    private void publish(CommandMessage command, int streamId) {
        NetStream stream = requestStream(streamId);
        if (stream == null || stream.busy()) {
            session.errorStatus(streamId, Status.PUBLISH_BAD_NAME, refusal(stream, streamId));
            return;
        }
        StreamName name = StreamName.parse(command.stringArgument(0));
        PublishRequest request = new PublishRequest(session.app, name.name(),
                name.key() != null ? name.key() : StreamName.queryParameter(session.tcUrl, "key"),
                command.stringArgument(1) == null ? "live" : command.stringArgument(1));
        stream.name = name.name();
        stream.verb = "publish";
        stream.pendingRequest = request;
        session.handler().onPublishRequest(streamId, request);
    }

    private void play(CommandMessage command, int streamId) {
        NetStream stream = requestStream(streamId);
        if (stream == null || stream.busy()) {
            session.errorStatus(streamId, Status.PLAY_FAILED, refusal(stream, streamId));
            return;
        }
        StreamName name = StreamName.parse(command.stringArgument(0));
        String key = name.key() != null ? name.key() : StreamName.queryParameter(session.tcUrl, "key");
        String raw = command.stringArgument(0);
        String token = raw != null && raw.indexOf('?') >= 0 ? StreamName.queryParameter(raw, "token") : null;
        if (token == null) {
            token = StreamName.queryParameter(session.tcUrl, "token");
        }
        PlayRequest request = new PlayRequest(session.app, name.name(), key, token);
        stream.name = name.name();
        stream.verb = "play";
        stream.pendingRequest = request;
        session.handler().onPlayRequest(streamId, request);
    }

    /**
     * The message stream a publish or play runs on: one createStream handed out, or (clients that skip createStream)
     * one opened now while the connection is under its stream limit; null beyond it.
     */
    private NetStream requestStream(int streamId) {
        NetStream stream = session.streams.get(streamId);
        if (stream == null && session.streams.size() < session.settings().maxStreams()) {
            stream = new NetStream(streamId);
            session.streams.put(streamId, stream);
        }
        return stream;
    }

    /**
     * Several streams per connection, each on its own message stream id; a second publish or play on an id that
     * already publishes or plays (or waits for the answer) is refused with a status and the first goes on.
     */
    private String refusal(NetStream stream, int streamId) {
        if (stream == null) {
            return "this connection already has " + session.settings().maxStreams()
                    + " streams open (gateway.limits.max-streams-per-connection)";
        }
        return "message stream " + streamId + " already " + stream.activity()
                + " (deleteStream it first, or createStream another)";
    }

    private void deleteStream(CommandMessage command, int messageStreamId) {
        int streamId = command.arguments().size() > 0 && command.arguments().getFirst() instanceof Double id
                ? id.intValue() : ServerSession.netStreamId(messageStreamId);
        stop(session.streams.remove(streamId));
    }

    /** FCUnpublish names the stream (maybe with its ?key=), not the message stream: stop the one publishing it. */
    private void fcUnpublish(CommandMessage command) {
        String name = StreamName.parse(command.stringArgument(0)).name();
        for (NetStream stream : session.streams.values()) {
            if (stream.role == ServerSession.Role.PUBLISHER && stream.name != null && stream.name.equals(name)) {
                stop(stream);
                return;
            }
        }
    }

    private void stop(NetStream stream) {
        if (stream == null) {
            return;
        }
        ServerSession.Role role = stream.role;
        stream.stop();
        if (role == ServerSession.Role.PUBLISHER) {
            session.handler().onUnpublish(stream.id);
        } else if (role == ServerSession.Role.PLAYER) {
            session.handler().onPlayStop(stream.id);
        }
    }

    private void result(CommandMessage command, Object properties, Object information) {
        if (command.transactionId() != 0) {
            session.handler().write(session.batch().command(0, "_result", command.transactionId(), properties, information).take());
        }
    }
}
