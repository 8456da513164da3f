package io.streammanager.gateway.relay;

/** The connection publishing a stream, as the relay sees it. */
public interface PublisherHandle {

    String id();

    /** Closes the publisher's connection (stream stopped, kicked). Callable from any thread. */
    void disconnect(String reason);
}
