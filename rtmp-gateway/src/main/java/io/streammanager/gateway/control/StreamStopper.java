package io.streammanager.gateway.control;

/** What the command consumer needs from the relay: close one stream's sessions. Declared here, implemented by the server. */
public interface StreamStopper {
    /** Disconnects the publisher and players of {@code streamName}; returns how many sessions were told to close. */
    int stopStream(String streamName, String reason);
}
