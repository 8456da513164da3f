package io.streammanager.muxer.testing;

import io.streammanager.muxer.output.ErrorCategory;
import io.streammanager.muxer.output.Output;
import io.streammanager.muxer.output.OutputListener;
import io.streammanager.muxer.output.OutputState;
import io.streammanager.muxer.output.SharedPacket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers everything an output reported, for assertions. */
public final class RecordingListener implements OutputListener {
    /** @param atNs System.nanoTime() of the change */
    public record StateChange(String output, OutputState state, int attempt, ErrorCategory lastError, long atNs) {
    }

    /** @param atNs System.nanoTime() when the retry was scheduled */
    public record Retry(String output, int attempt, long delayNs, long atNs) {
    }

    public record ErrorReport(String output, ErrorCategory category) {
    }

    public final List<StateChange> states = new CopyOnWriteArrayList<>();
    public final List<Retry> retries = new CopyOnWriteArrayList<>();
    public final List<ErrorReport> errors = new CopyOnWriteArrayList<>();
    public final List<Long> latenciesUs = new CopyOnWriteArrayList<>();

    @Override
    public void stateChanged(Output output, OutputState state, int attempt, ErrorCategory lastError) {
        states.add(new StateChange(output.id(), state, attempt, lastError, System.nanoTime()));
    }

    @Override
    public void error(Output output, ErrorCategory category) {
        errors.add(new ErrorReport(output.id(), category));
    }

    @Override
    public void retryScheduled(Output output, int attempt, long delayNs) {
        retries.add(new Retry(output.id(), attempt, delayNs, System.nanoTime()));
    }

    @Override
    public void packetWritten(Output output, SharedPacket packet, long writtenAtEpochUs) {
        if (output.target().gateway()) {
            latenciesUs.add(writtenAtEpochUs - packet.captureEpochUs());
        }
    }

    public List<Retry> retriesOf(String output) {
        return retries.stream().filter(r -> r.output().equals(output)).toList();
    }

    public List<StateChange> changesOf(String output) {
        return states.stream().filter(s -> s.output().equals(output)).toList();
    }

    public List<OutputState> statesOf(String output) {
        return states.stream().filter(s -> s.output().equals(output)).map(StateChange::state).toList();
    }
}
