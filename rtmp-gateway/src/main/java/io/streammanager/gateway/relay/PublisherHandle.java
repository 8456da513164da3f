package io.streammanager.gateway.relay;

/** The connection publishing a stream, as the relay sees it. */
public interface PublisherHandle {

    String id();

    /** Closes the publisher's connection (stream stopped, kicked). Callable from any thread. */
    void disconnect(String reason);

    /** The stream was stopped (StopStream): end this publish; by default by closing. Callable from any thread. */
    default void streamStopped(String reason) {
        disconnect(reason);
    }

    /** Another publisher took the stream over: tell the peer why and close. Callable from any thread. */
    default void displaced(String description) {
        disconnect(description);
    }
}
