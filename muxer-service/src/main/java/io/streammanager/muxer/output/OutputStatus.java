package io.streammanager.muxer.output;

/** A snapshot of one output, for the REST view and tests. No URL: it may hold a key. */
public record OutputStatus(String id, OutputState state, int attempt, long retries, int queueSize, long queueBytes,
                           long bytesWritten, long packetsWritten, long droppedPackets, String lastErrorCategory) {
}
