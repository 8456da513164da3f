package io.streammanager.gateway.rtmp;

/**
 * A protocol violation or refused limit on one RTMP connection. Thrown by the protocol layers; the connection that
 * raised it is closed deliberately and the error is counted by {@link #category()}. Each layer adds its context to the
 * message ("rtmp: publish app=live stream=x: ...") with {@link #withContext(String)}.
 */
public class RtmpException extends RuntimeException {

    /** Metric category of an error (the {@code category} tag of {@code rtmp_errors_total}). */
    public enum Category {
        HANDSHAKE, PROTOCOL, LIMIT, AUTH, SLOW_PLAYER, TIMEOUT, IO;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Category category;

    public RtmpException(Category category, String message) {
        super(message);
        this.category = category;
    }

    public RtmpException(Category category, String message, Throwable cause) {
        super(message, cause);
        this.category = category;
    }

    public Category category() {
        return category;
    }

    /** The same error with {@code context + ": "} in front of its message; the cause chain keeps the original. */
    public RtmpException withContext(String context) {
        return new RtmpException(category, context + ": " + getMessage(), this);
    }

    /** Throws a {@link Category#LIMIT} error when {@code value > limit}, naming both numbers. */
    public static void checkLimit(String what, long value, long limit) {
        if (value > limit) {
            throw new RtmpException(Category.LIMIT, what + " " + value + " exceeds limit " + limit);
        }
    }
}
