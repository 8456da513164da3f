package io.streammanager.encoder.codec;

/**
 * An encoder could not be opened; {@link #reason()} carries FFmpeg's own explanation where it gave one.
 * {@link #backend()} names the video backend, and is null for an audio encoder.
 */
public final class EncoderOpenException extends Exception {

    /** Why an encoder could not open, as a metric label. */
    public enum Failure {
        /** Not compiled into this FFmpeg build. */
        NOT_BUILT,
        /** Its hardware (GPU, DRM node, driver library) is not on this machine. */
        NO_DEVICE,
        /** The device is there, but will not give the encoder its input surfaces (size, format, driver). */
        DEVICE_UNSUPPORTED,
        /** The encoder refused the settings, or failed some other way. */
        REFUSED
    }

    private final EncoderBackend backend;
    private final String reason;
    private final Failure failure;

    public EncoderOpenException(EncoderBackend backend, String reason) {
        this(backend, Failure.REFUSED, reason);
    }

    public EncoderOpenException(EncoderBackend backend, Failure failure, String reason) {
        super(backend.codecName() + ": " + reason);
        this.backend = backend;
        this.reason = reason;
        this.failure = failure;
    }

    /** An audio (or other non-H.264) encoder, named by its FFmpeg codec name. */
    public EncoderOpenException(String codecName, String reason) {
        super(codecName + ": " + reason);
        this.backend = null;
        this.reason = reason;
        this.failure = Failure.REFUSED;
    }

    public Failure failure() {
        return failure;
    }

    public EncoderBackend backend() {
        return backend;
    }

    public String reason() {
        return reason;
    }
}
