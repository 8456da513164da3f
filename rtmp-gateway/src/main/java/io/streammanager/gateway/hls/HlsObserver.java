package io.streammanager.gateway.hls;

/** Told about each stream's LL-HLS life and traffic (metrics, labelled by stream name); no-op by default. */
public interface HlsObserver {
    HlsObserver NONE = new HlsObserver() { };

    /** A stream's HLS appeared; {@code view} reads its counters for gauges until {@link #streamClosed}. */
    default void streamOpened(String stream, HlsStream view) {
    }

    default void streamClosed(String stream) {
    }

    /** Messages dropped because the stream's packaging queue was full. */
    default void dropped(String stream) {
    }

    /** A packaging error ended the stream's HLS until its next publish. */
    default void failed(String stream) {
    }
}
