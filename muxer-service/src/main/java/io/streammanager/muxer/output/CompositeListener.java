package io.streammanager.muxer.output;

import java.util.List;

/** Fans one output's reports out to several listeners (metrics, events, tests). */
public final class CompositeListener implements OutputListener {
    private final List<OutputListener> listeners;

    public CompositeListener(List<OutputListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void stateChanged(Output output, OutputState state, int attempt, ErrorCategory lastError) {
        for (OutputListener listener : listeners) {
            listener.stateChanged(output, state, attempt, lastError);
        }
    }

    @Override
    public void error(Output output, ErrorCategory category) {
        for (OutputListener listener : listeners) {
            listener.error(output, category);
        }
    }

    @Override
    public void retryScheduled(Output output, int attempt, long delayNs) {
        for (OutputListener listener : listeners) {
            listener.retryScheduled(output, attempt, delayNs);
        }
    }

    @Override
    public void packetWritten(Output output, SharedPacket packet, long writtenAtEpochUs) {
        for (OutputListener listener : listeners) {
            listener.packetWritten(output, packet, writtenAtEpochUs);
        }
    }
}
