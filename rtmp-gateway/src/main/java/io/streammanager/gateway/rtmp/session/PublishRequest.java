package io.streammanager.gateway.rtmp.session;

/**
 * A client's publish command, to be accepted or refused by the application ({@link ServerSession#acceptPublish},
 * {@link ServerSession#refusePublish}). {@code key} is the secret from the publish name's query or
 * from the connect tcUrl; it never appears in {@link #toString()}.
 */
public record PublishRequest(String app, String streamName, String key, String publishType) {
    @Override
    public String toString() {
        return "publish app=" + app + " stream=" + streamName + " type=" + publishType + (key != null ? " key=***" : " no key");
    }
}
