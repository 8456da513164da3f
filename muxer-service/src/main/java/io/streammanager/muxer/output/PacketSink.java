package io.streammanager.muxer.output;

/**
 * One open connection (or file) of an output. Owned and used by the output's thread only. The FFmpeg muxer is the
 * real one; tests use hand-written fakes.
 */
public interface PacketSink extends AutoCloseable {

    /** Writes one packet, to the stream of its track, with timestamps already rebased to this connection (µs). */
    void write(SharedPacket packet, long ptsUs, long dtsUs) throws SinkException;

    /** Ends the stream cleanly (FLV trailer); best effort, bounded by the sink's I/O timeout. */
    void finish() throws SinkException;

    /** Releases everything; never throws. */
    @Override
    void close();

    /**
     * Opens sinks for an output, with a stream per track of {@code start}. {@code abort} is polled during blocking
     * I/O: true cuts it short.
     */
    @FunctionalInterface
    interface Factory {
        PacketSink open(OutputTarget target, ConnectionStart start, java.util.function.BooleanSupplier abort)
                throws SinkException;
    }
}
