package io.streammanager.composition.stream;

/** No stream has this id. */
public final class StreamNotFoundException extends RuntimeException {

    public StreamNotFoundException(String streamId) {
        super("no stream with id " + streamId);
    }
}
