package io.streammanager.composition.stream;

/** Another stream already has this name (names are unique: they are the gateway's publish and play names). */
public final class StreamNameTakenException extends RuntimeException {

    public StreamNameTakenException(String name) {
        super("a stream named " + name + " already exists");
    }

    /** {@code name} and {@code other} differ only by a {@code _<renditionId>} suffix: the gateway names overlap. */
    public StreamNameTakenException(String name, String other) {
        super("a stream named " + other + " exists, and the gateway publishes a stream's renditions as "
                + "<name>_<renditionId>: " + name + " would share its names");
    }
}
