package io.streammanager.composition.stream;

/** What this instance is doing with a stream, as shown in the REST view. */
public enum StreamState {
    /** Rendering frames into its ring. */
    RUNNING,
    /** Stored, but not rendered by this instance (e.g. another instance renders it, or resuming failed). */
    IDLE
}
