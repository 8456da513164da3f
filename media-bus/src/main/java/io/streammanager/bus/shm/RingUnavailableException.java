package io.streammanager.bus.shm;

import java.nio.file.Path;
import java.time.Duration;

/** A ring file did not become ready in time, or is not a ring this code can read. */
public final class RingUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public RingUnavailableException(Path file, String message) {
        super(message);
        this.file = file;
    }

    public RingUnavailableException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    static RingUnavailableException timedOut(Path file, Duration waited, String lastState) {
        return new RingUnavailableException(file,
                "ring not ready: file=" + file + " waitedMs=" + waited.toMillis() + " state=" + lastState);
    }

    public Path file() {
        return file;
    }
}
