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

    void handle(CommandMessage command) {
        if (session.app == null && !"connect".equals(command.name())) {
            throw new RtmpException(RtmpException.Category.PROTOCOL,
                    "command " + command.name() + " before connect");
        }
        switch (command.name()) {
            case "connect" -> connect(command);
            case "releaseStream", "FCPublish" -> result(command, null, Amf0Undefined.INSTANCE);
            case "getStreamLength" -> result(command, null, 0.0); // a live stream has no length
            case "createStream" -> result(command, null, (double) ServerSession.MEDIA_STREAM_ID);
            case "publish" -> publish(command);
            case "play" -> play(command);
            case "FCUnpublish", "deleteStream", "closeStream" -> stop();
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

    private void publish(CommandMessage command) {
        if (busy()) {
            session.refusePublish(Status.PUBLISH_BAD_NAME, "this connection already " + activity()
                    + ": one stream at a time per connection (deleteStream it first, or open another connection)");
            return;
        }
        StreamName name = StreamName.parse(command.stringArgument(0));
        session.streamName = name.name();
        session.pendingRequest = "publish";
        String key = name.key() != null ? name.key() : StreamName.queryParameter(session.tcUrl, "key");
        String type = command.stringArgument(1);
        session.handler().onPublishRequest(new PublishRequest(session.app, name.name(), key, type == null ? "live" : type));
    }

    private void play(CommandMessage command) {
        if (busy()) {
            session.refusePlay("this connection already " + activity()
                    + ": one stream at a time per connection (deleteStream it first, or open another connection)");
            return;
        }
        StreamName name = StreamName.parse(command.stringArgument(0));
        session.streamName = name.name();
        session.pendingRequest = "play";
        String key = name.key() != null ? name.key() : StreamName.queryParameter(session.tcUrl, "key");
        String raw = command.stringArgument(0);
        String token = raw != null && raw.indexOf('?') >= 0 ? StreamName.queryParameter(raw, "token") : null;
        if (token == null) {
            token = StreamName.queryParameter(session.tcUrl, "token");
        }
        session.handler().onPlayRequest(new PlayRequest(session.app, name.name(), key, token));
    }

    /**
     * One stream at a time per connection: a second publish or play while one is active (or still being decided) is
     * refused with a status and the first goes on; after deleteStream the connection may publish or play again.
     */
    private boolean busy() {
        return session.role != ServerSession.Role.NONE || session.pendingRequest != null;
    }

    private String activity() {
        return switch (session.role) {
            case PUBLISHER -> "publishes " + session.streamName;
            case PLAYER -> "plays " + session.streamName;
            case NONE -> "waits for the answer to its " + session.pendingRequest + " of " + session.streamName;
        };
    }

    private void stop() {
        ServerSession.Role role = session.role;
        session.role = ServerSession.Role.NONE;
        session.pendingRequest = null;
        if (role == ServerSession.Role.PUBLISHER) {
            session.handler().onUnpublish();
        } else if (role == ServerSession.Role.PLAYER) {
            session.handler().onPlayStop();
        }
    }

    private void result(CommandMessage command, Object properties, Object information) {
        if (command.transactionId() != 0) {
            session.handler().write(session.batch().command(0, "_result", command.transactionId(), properties, information).take());
        }
    }
}
