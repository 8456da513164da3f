package io.streammanager.composition.stream;

/** The stream has no output with this id. */
public final class OutputNotFoundException extends RuntimeException {

    public OutputNotFoundException(String streamId, String outputId) {
        super("stream " + streamId + " has no output with id " + outputId);
    }
}
