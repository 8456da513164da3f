package io.streammanager.muxer.output;

/**
 * Life of one output. IDLE -> CONNECTING -> LIVE -> RETRYING (backoff) -> CONNECTING ... -> STOPPED (asked to) or
 * FAILED (its retry policy gave up, or the platform refused the stream). CONNECTING lasts until the platform has
 * acknowledged media bytes; PAUSED is an output its spec disabled (no connection, kept in the status list).
 * {@link #code()} is the value of the {@code muxer_output_state} gauge.
 */
public enum OutputState {
    IDLE(0), CONNECTING(1), LIVE(2), RETRYING(3), STOPPED(4), FAILED(5), PAUSED(6);

    private final int code;

    OutputState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean terminal() {
        return this == STOPPED || this == FAILED;
    }
}
