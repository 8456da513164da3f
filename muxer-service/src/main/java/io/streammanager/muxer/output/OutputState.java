package io.streammanager.muxer.output;

/**
 * Life of one output. IDLE -> CONNECTING -> LIVE -> RETRYING (backoff) -> CONNECTING ... -> STOPPED (asked to) or
 * FAILED (retries exhausted). {@link #code()} is the value of the {@code muxer_output_state} gauge.
 */
public enum OutputState {
    IDLE(0), CONNECTING(1), LIVE(2), RETRYING(3), STOPPED(4), FAILED(5);

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
