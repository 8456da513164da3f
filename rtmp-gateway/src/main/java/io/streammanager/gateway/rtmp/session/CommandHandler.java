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
        if (session.role != ServerSession.Role.NONE) {
            throw new RtmpException(RtmpException.Category.PROTOCOL, "publish while already " + session.role);
        }
        StreamName name = StreamName.parse(command.stringArgument(0));
        session.streamName = name.name();
        session.pendingRequest = "publish";
        String key = name.key() != null ? name.key() : StreamName.queryParameter(session.tcUrl, "key");
        String type = command.stringArgument(1);
        session.handler().onPublishRequest(new PublishRequest(session.app, name.name(), key, type == null ? "live" : type));
    }

    private void play(CommandMessage command) {
        if (session.role != ServerSession.Role.NONE) {
            throw new RtmpException(RtmpException.Category.PROTOCOL, "play while already " + session.role);
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

    private void stop() {
        ServerSession.Role role = session.role;
        session.role = ServerSession.Role.NONE;
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
