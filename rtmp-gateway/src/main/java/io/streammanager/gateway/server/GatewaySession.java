package io.streammanager.gateway.server;

/** Anything the session API lists and can kick: an RTMP connection or an HTTP-FLV player. */
interface GatewaySession {

    String id();

    SessionInfo info();

    /** Closes the session; callable from any thread. */
    void disconnect(String reason);
}
