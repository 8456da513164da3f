package io.streammanager.muxer.output;

/** The muxer error categories of the product spec; {@link #tag()} is the {@code category} tag on {@code muxer_errors}. */
public enum ErrorCategory {
    /** The peer refused, was unreachable, timed out or dropped the connection. */
    OUTPUT_CONNECTION("output_connection"),
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

    public String tag() {
        return tag;
    }
}
