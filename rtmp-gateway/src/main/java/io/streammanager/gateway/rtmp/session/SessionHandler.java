package io.streammanager.gateway.rtmp.session;

import io.netty.buffer.ByteBuf;

/**
 * What a {@link ServerSession} asks of the application. Declared here, implemented by the server, so the protocol
 * never reaches into the application; tests use hand-written fakes. Called on the session's thread. {@code streamId}
 * is the message stream id (NetStream) a request or message belongs to; one connection may run several.
 */
public interface SessionHandler {

    /** Answer later with {@link ServerSession#acceptPublish} or {@link ServerSession#refusePublish}. */
    void onPublishRequest(int streamId, PublishRequest request);

    /** Answer with {@link ServerSession#acceptPlay} or {@link ServerSession#refusePlay}. */
    void onPlayRequest(int streamId, PlayRequest request);

    /**
     * An audio (8), video (9) or AMF0 data (18) message from the publisher of message stream {@code streamId}; the
     * callee owns {@code payload}. Metadata arrives as a data message whose payload is {@code "onMetaData", object}.
     */
    void onMedia(int streamId, int typeId, long timestamp, ByteBuf payload, boolean metadata);

    /** The publisher of {@code streamId} stopped (FCUnpublish, deleteStream, closeStream). */
    void onUnpublish(int streamId);

    /** The player of {@code streamId} stopped (deleteStream, closeStream). */
    void onPlayStop(int streamId);

    /** A createStream beyond {@link SessionSettings#maxStreams()} was answered {@code _error}; the connection stays. */
    default void onStreamLimit(String description) {
    }

    /** Writes bytes to the peer, in order; the callee owns {@code bytes}. */
    void write(ByteBuf bytes);
}
