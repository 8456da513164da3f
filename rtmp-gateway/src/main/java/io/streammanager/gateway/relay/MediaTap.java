package io.streammanager.gateway.relay;

import io.netty.buffer.ByteBuf;

/**
 * Sees each publisher's media as received, before any player (the gateway's LL-HLS packaging). Called under the
 * stream's lock on the publisher's event loop, in message order: an implementation only copies and queues, never
 * blocks, and never calls back into the relay. No-op by default.
 */
public interface MediaTap {
    MediaTap NONE = new MediaTap() { };

    /** A publisher attached to {@code name} (a first publish, a reconnect or a takeover). */
    default void publisherStarted(String name) {
    }

    /**
     * One message of the publisher's: {@code typeId} 8 (audio), 9 (video) or 18 (data, e.g. onMetaData), its own
     * timestamp (not rebased across publishers). {@code payload} is only lent: read it without consuming it.
     */
    default void media(String name, int typeId, long timestampMs, ByteBuf payload) {
    }

    /** The publisher left or was stopped or displaced. */
    default void publisherStopped(String name) {
    }
}
