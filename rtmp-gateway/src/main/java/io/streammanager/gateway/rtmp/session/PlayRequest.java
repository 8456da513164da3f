package io.streammanager.gateway.rtmp.session;

/**
 * A client's play command, to be answered with {@link ServerSession#acceptPlay}. {@code key} is the secret and
 * {@code token} the signed play token from the play name's query or the connect tcUrl (null if none); neither appears
 * in {@link #toString()}.
 */
public record PlayRequest(String app, String streamName, String key, String token) {
    @Override
    public String toString() {
        return "play app=" + app + " stream=" + streamName + (key != null ? " key=***" : " no key")
                + (token != null ? " token=***" : "");
    }
}
