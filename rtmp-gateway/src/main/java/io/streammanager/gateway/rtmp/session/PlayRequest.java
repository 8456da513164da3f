package io.streammanager.gateway.rtmp.session;

/** A client's play command, to be answered with {@link ServerSession#acceptPlay()}. */
public record PlayRequest(String app, String streamName) {
}
