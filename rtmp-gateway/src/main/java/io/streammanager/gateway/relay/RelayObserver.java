package io.streammanager.gateway.relay;

/** Told when streams appear and disappear (metrics register per-stream gauges); no-op by default. */
public interface RelayObserver {
    RelayObserver NONE = new RelayObserver() { };

    default void streamOpened(LiveStream stream) {
    }

    default void streamClosed(LiveStream stream) {
    }

    default void playerDropped(String streamName, long messages) {
    }
}
