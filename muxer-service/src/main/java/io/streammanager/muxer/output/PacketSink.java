package io.streammanager.muxer.output;

import io.streammanager.muxer.delivery.TcpDelivery;

/**
 * One open connection (or file) of an output. Owned and used by the output's thread only. The FFmpeg muxer is the
 * real one; tests use hand-written fakes.
 */
public interface PacketSink extends AutoCloseable {

    /** Writes one packet, to the stream of its track, with timestamps already rebased to this connection (µs). */
    void write(SharedPacket packet, long ptsUs, long dtsUs) throws SinkException;

    /**
     * What the peer has acknowledged of this connection, read now; {@link TcpDelivery#UNKNOWN} if the sink cannot
     * tell (files, test sinks, transports whose socket is out of reach). Called by the owning thread only.
     */
    default TcpDelivery.Snapshot delivery() {
        return TcpDelivery.UNKNOWN;
    }

    /**
     * Sends a new video decoder configuration in-band with the next video packet (same codec and size, new SPS/PPS),
     * so the connection need not restart; false if the sink cannot, and the caller reconnects instead.
     */
    default boolean replaceVideoExtradata(byte[] extradata) {
        return false;
    }

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
