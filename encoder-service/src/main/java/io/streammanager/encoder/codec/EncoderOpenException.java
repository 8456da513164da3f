package io.streammanager.encoder.codec;

/** An encoder could not be opened; {@link #reason()} carries FFmpeg's own explanation where it gave one. */
public final class EncoderOpenException extends Exception {

    private final EncoderBackend backend;
    private final String reason;

    public EncoderOpenException(EncoderBackend backend, String reason) {
        super(backend.codecName() + ": " + reason);
        this.backend = backend;
        this.reason = reason;
    }

    public EncoderBackend backend() {
        return backend;
    }

    public String reason() {
        return reason;
    }
}
