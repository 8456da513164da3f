package io.streammanager.gateway.rtmp.session;

/**
 * The protocol state of one message stream (NetStream) of a connection: handed out by createStream (or opened by a
 * publish/play on an id the client picked itself), then publishing, playing, or waiting for the application's answer.
 */
final class NetStream {

    final int id;
    ServerSession.Role role = ServerSession.Role.NONE;
    String name;
    /** The publish or play request the application has not answered yet, or null. */
    Object pendingRequest;
    /** "publish" or "play": the last request's verb, for error context. */
    String verb;

    NetStream(int id) {
        this.id = id;
    }

    /** Publishing, playing, or waiting for the answer to a publish or play. */
    boolean busy() {
        return role != ServerSession.Role.NONE || pendingRequest != null;
    }

    String activity() {
        return switch (role) {
            case PUBLISHER -> "publishes " + name;
            case PLAYER -> "plays " + name;
            case NONE -> "waits for the answer to its " + verb + " of " + name;
        };
    }

    void stop() {
        role = ServerSession.Role.NONE;
        pendingRequest = null;
    }
}
