package io.streammanager.gateway.rtmp.session;

/**
 * A client's play command, to be answered with {@link ServerSession#acceptPlay()}. {@code key} is the secret from the
 * play name's query or the connect tcUrl (null if none); it never appears in {@link #toString()}.
 */
public record PlayRequest(String app, String streamName, String key) {
    @Override
    public String toString() {
        return "play app=" + app + " stream=" + streamName + (key != null ? " key=***" : " no key");
    }
}
