package io.streammanager.muxer.output;

/**
 * What an output reports while it runs (metrics, events). Called on the output's own thread: implementations must
 * not block (queue Redis work elsewhere).
 */
public interface OutputListener {

    void stateChanged(Output output, OutputState state, int attempt, ErrorCategory lastError);

    void error(Output output, ErrorCategory category);

    /** A retry was scheduled after {@code delayNs}. */
    void retryScheduled(Output output, int attempt, long delayNs);

    /** A packet left for the peer; {@code writtenAtEpochUs} is the wall clock right after the write. */
    void packetWritten(Output output, SharedPacket packet, long writtenAtEpochUs);

    OutputListener NONE = new OutputListener() {
        @Override
        public void stateChanged(Output output, OutputState state, int attempt, ErrorCategory lastError) {
        }

        @Override
        public void error(Output output, ErrorCategory category) {
        }

        @Override
        public void retryScheduled(Output output, int attempt, long delayNs) {
        }

        @Override
        public void packetWritten(Output output, SharedPacket packet, long writtenAtEpochUs) {
        }
    };
}
