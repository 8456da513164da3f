package io.streammanager.composition.stream;

/** Another stream already has this name (names are unique: they are the gateway's publish and play names). */
public final class StreamNameTakenException extends RuntimeException {

    public StreamNameTakenException(String name) {
        super("a stream named " + name + " already exists");
    }
}
