package io.streammanager.muxer.output;

import io.streammanager.ffmpeg.FfmpegErrors;

/** The muxer error categories of the product spec; {@link #tag()} is the {@code category} tag on {@code muxer_errors}. */
public enum ErrorCategory {
    /** The peer was unreachable, timed out, stalled or dropped the connection: worth retrying. */
    OUTPUT_CONNECTION("output_connection"),
    /**
     * The platform spoke RTMP and refused the stream (a wrong or revoked stream key, publishing not allowed):
     * retrying cannot fix it, so the output is FAILED at once until restarted.
     */
    OUTPUT_REFUSED("output_refused"),
    /** FFmpeg rejected the stream or a packet (header, codec parameters, timestamps). */
    FORMAT_CONVERSION("format_conversion"),
    /** The output's bounded queue was full, so queued packets were dropped up to a keyframe. */
    QUEUE_OVERFLOW("queue_overflow"),
    /** Memory, buffers or threads ran out, or a packet was larger than the configured limits. */
    RESOURCE_LIMITATION("resource_limitation");

    private final String tag;

    ErrorCategory(String tag) {
        this.tag = tag;
    }

    /** The category of an FFmpeg failure of {@code kind}; {@code otherwise} names what FFmpeg's code cannot tell. */
    public static ErrorCategory of(FfmpegErrors.Kind kind, ErrorCategory otherwise) {
        return switch (kind) {
            case CONNECTION -> OUTPUT_CONNECTION;
            case REFUSED -> OUTPUT_REFUSED;
            case OUT_OF_MEMORY -> RESOURCE_LIMITATION;
            case OTHER -> otherwise;
        };
    }

    public String tag() {
        return tag;
    }

    /** False for a failure that the same attempt would meet again (the output stops retrying). */
    public boolean retryable() {
        return this != OUTPUT_REFUSED;
    }
}
