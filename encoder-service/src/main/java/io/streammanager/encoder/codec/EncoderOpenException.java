package io.streammanager.encoder.codec;

/**
 * An encoder could not be opened; {@link #reason()} carries FFmpeg's own explanation where it gave one.
 * {@link #backend()} names the video backend, and is null for an audio encoder.
 */
public final class EncoderOpenException extends Exception {

    private final EncoderBackend backend;
    private final String reason;

    public EncoderOpenException(EncoderBackend backend, String reason) {
        super(backend.codecName() + ": " + reason);
        this.backend = backend;
        this.reason = reason;
    }

    /** An audio (or other non-H.264) encoder, named by its FFmpeg codec name. */
    public EncoderOpenException(String codecName, String reason) {
        super(codecName + ": " + reason);
        this.backend = null;
        this.reason = reason;
    }

    public EncoderBackend backend() {
        return backend;
    }

    public String reason() {
        return reason;
    }
}
