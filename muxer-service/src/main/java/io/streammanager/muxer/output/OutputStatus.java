package io.streammanager.muxer.output;

/**
 * A snapshot of one output, for the REST view, the Redis status hash and tests. No URL: it may hold a key; the error
 * message is masked.
 *
 * @param sinceMs           when the output entered {@code state} (ms since the epoch)
 * @param attempt           consecutive failed attempts (0 once a connection proved healthy)
 * @param retries           reconnects scheduled since the output started
 * @param lastErrorCategory {@code muxer_errors} category of the last failure, or null
 * @param lastError         what failed last, URL and key masked, or null
 * @param bytesWritten      payload bytes written
 * @param bitrateBps        payload bits per second over the last 10 s
 * @param bytesAcknowledged bytes the platform acknowledged on the current connection, -1 if unknown
 */
public record OutputStatus(String id, OutputState state, long sinceMs, int attempt, long retries,
                           String lastErrorCategory, String lastError, long bytesWritten, long bitrateBps,
                           long bytesAcknowledged, long packetsWritten, int queueSize, long queueBytes,
                           long droppedPackets) {

    /** The same counters under another state (a paused output keeps what its last connection did). */
    public OutputStatus withState(OutputState newState, long newSinceMs) {
        return new OutputStatus(id, newState, newSinceMs, attempt, retries, lastErrorCategory, lastError,
                bytesWritten, 0, -1, packetsWritten, 0, 0, droppedPackets);
    }
}
