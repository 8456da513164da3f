package io.streammanager.encoder.codec;

/** An FFmpeg call failed while a resource was in use (not while probing an encoder). */
public final class FfmpegException extends RuntimeException {

    private final int errorCode;

    public FfmpegException(String message, int errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    public int errorCode() {
        return errorCode;
    }
}
