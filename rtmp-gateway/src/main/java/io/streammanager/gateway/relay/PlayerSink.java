package io.streammanager.gateway.relay;

/** Where the relay sends one player's media; implemented by the server's connection, faked in tests. */
public interface PlayerSink {

    String id();

    /** True while the player's socket has more queued than its bound (Vert.x writeQueueFull). */
    boolean writeQueueFull();

    /**
     * Queues one message to the player, taking its own reference to the encoding it needs ({@link SharedMessage#share()}
     * or {@link SharedMessage#shareFlv()}); must not keep {@code message} itself. Callable from any thread.
     */
    void send(SharedMessage message);

    /**
     * Queues one message and, unless {@code flush} is false, hands everything queued to the socket. Unflushed messages
     * go out with the next flushing send or {@link #flush()}. Sinks that cannot hold writes send at once.
     */
    default void send(SharedMessage message, boolean flush) {
        send(message);
    }

    /** Hands what {@link #send(SharedMessage, boolean)} queued without flushing to the socket. Callable from any thread. */
    default void flush() {
    }

    /**
     * Queues several messages in order, as {@link #send} does one by one; an implementation may hand them to the socket
     * with a single flush (a joining player's metadata, sequence headers and GOP cache: one write instead of hundreds).
     */
    default void sendAll(java.util.List<SharedMessage> messages) {
        messages.forEach(this::send);
    }

    /** The player fell behind for too long or the stream was stopped: close it. Callable from any thread. */
    void disconnect(String reason);

    /**
     * The stream was stopped (StopStream): the relay already detached this player. Ends its play; by default by closing
     * it. Callable from any thread.
     */
    default void streamStopped(String reason) {
        disconnect(reason);
    }

    /** The publisher left; the player stays attached and resumes if the stream is published again. */
    void publisherLeft();

    /**
     * Whether this player takes E-RTMP video of codec {@code fourCc} ("hvc1", "av01", ...). Asked under the stream's
     * lock, so it must only read state fixed before the player was attached. Legacy FLV video is always accepted.
     */
    default boolean acceptsVideoCodec(String fourCc) {
        return true;
    }

    /**
     * The stream switched to a video codec this player did not accept; the relay already detached it. Refuse the play
     * and close. Callable from any thread.
     */
    default void codecRefused(String fourCc) {
        disconnect("stream video codec " + fourCc + " not accepted by the player");
    }
}
