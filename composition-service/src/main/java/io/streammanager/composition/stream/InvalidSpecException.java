package io.streammanager.composition.stream;

/** A stream spec that cannot be run, naming the offending field by its JSON path (e.g. {@code video.width}). */
public final class InvalidSpecException extends RuntimeException {

    private final String field;
    private final String reason;

    public InvalidSpecException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    /** The message without the field path. */
    public String reason() {
        return reason;
    }
}
