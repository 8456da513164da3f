package io.streammanager.muxer.output;

/** An output sink failed; the category decides the {@code muxer_errors} tag. Messages never contain a URL key. */
public final class SinkException extends Exception {
    private final ErrorCategory category;

    public SinkException(ErrorCategory category, String message) {
        super(message);
        this.category = category;
    }

    public ErrorCategory category() {
        return category;
    }
}
