package io.streammanager.gateway.rtmp.session;

import io.netty.buffer.ByteBuf;

/**
 * What a {@link ServerSession} asks of the application. Declared here, implemented by the server, so the protocol
 * never reaches into the application; tests use hand-written fakes. Called on the session's thread.
 */
public interface SessionHandler {

    /** Answer later with {@link ServerSession#acceptPublish()} or {@link ServerSession#refusePublish}. */
    void onPublishRequest(PublishRequest request);

    /** Answer with {@link ServerSession#acceptPlay()} or {@link ServerSession#refusePlay}. */
    void onPlayRequest(PlayRequest request);

    /**
     * An audio (8), video (9) or AMF0 data (18) message from the publisher; the callee owns {@code payload}.
     * Metadata arrives as a data message whose payload is {@code "onMetaData", object}.
     */
    void onMedia(int typeId, long timestamp, ByteBuf payload, boolean metadata);

    /** The publisher stopped (FCUnpublish, deleteStream, closeStream). */
    void onUnpublish();

    /** The player stopped (deleteStream, closeStream). */
    void onPlayStop();

    /** Writes bytes to the peer, in order; the callee owns {@code bytes}. */
    void write(ByteBuf bytes);
}
