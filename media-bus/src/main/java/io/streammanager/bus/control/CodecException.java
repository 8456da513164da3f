package io.streammanager.bus.control;

/** A Redis record or command that cannot be decoded; the message names the record kind and the field. */
public final class CodecException extends RuntimeException {

    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
