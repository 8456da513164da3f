package io.streammanager.gateway.relay;

import io.netty.buffer.ByteBuf;

/** Where the relay sends one player's media; implemented by the server's connection, faked in tests. */
public interface PlayerSink {

    String id();

    /** True while the player's socket has more queued than its bound (Vert.x writeQueueFull). */
    boolean writeQueueFull();

    /** Queues bytes to the player; takes ownership of {@code chunks}. Callable from any thread. */
    void send(ByteBuf chunks);

    /** The player fell behind for too long or the stream was stopped: close it. Callable from any thread. */
    void disconnect(String reason);

    /** The publisher left; the player stays attached and resumes if the stream is published again. */
    void publisherLeft();
}
