package io.streammanager.gateway.rtmp.handshake;

import io.streammanager.gateway.rtmp.RtmpException;

/** The peer's handshake bytes are not RTMP (wrong version byte). */
public final class HandshakeException extends RtmpException {
    public HandshakeException(String message) {
        super(Category.HANDSHAKE, "handshake: " + message);
    }
}
