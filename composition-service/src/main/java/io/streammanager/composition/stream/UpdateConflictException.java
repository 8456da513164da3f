package io.streammanager.composition.stream;

/**
 * The stored spec is not the version the caller expected: with {@code If-Match} it answers 412 (the caller's copy
 * is stale); without, it is a 409 after the update lost the race to other writers several times in a row.
 */
public final class UpdateConflictException extends RuntimeException {

    private final boolean preconditionFailed;
    private final long currentVersion;

    public UpdateConflictException(String message, boolean preconditionFailed, long currentVersion) {
        super(message);
        this.preconditionFailed = preconditionFailed;
        this.currentVersion = currentVersion;
    }

    public boolean preconditionFailed() {
        return preconditionFailed;
    }

    public long currentVersion() {
        return currentVersion;
    }
}
