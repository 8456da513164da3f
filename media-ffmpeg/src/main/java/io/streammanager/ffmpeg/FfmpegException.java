package io.streammanager.ffmpeg;

/** An FFmpeg call failed; the message names the operation and FFmpeg's reason, {@link #errorCode()} is its code. */
public final class FfmpegException extends RuntimeException {

    private final int errorCode;

    public FfmpegException(String message, int errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    /** FFmpeg's (negative) error code, or what the failed call returned when it has no code (e.g. 0). */
    public int errorCode() {
        return errorCode;
    }
}
