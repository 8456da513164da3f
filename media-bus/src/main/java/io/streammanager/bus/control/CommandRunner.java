package io.streammanager.bus.control;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

/**
 * The one failure policy for a command: a handler that throws is tried again after a short pause, up to a bounded
 * number of tries; then the failure is reported ({@link CommandOutcomes#failed}) and the command counts as done, so
 * a command that cannot succeed neither blocks the ones behind it nor comes back forever.
 */
final class CommandRunner {

    private static final Logger LOG = Logger.getLogger(CommandRunner.class);

    private final CommandHandler handler;
    private final CommandOutcomes outcomes;
    private final int attempts;
    private final Duration retryPause;
    private final BooleanSupplier stopping;

    CommandRunner(CommandHandler handler, CommandOutcomes outcomes, int attempts, Duration retryPause,
                  BooleanSupplier stopping) {
        if (attempts < 1) {
            throw new IllegalArgumentException("control.command.attempts=" + attempts + " must be at least 1");
        }
        this.handler = handler;
        this.outcomes = outcomes;
        this.attempts = attempts;
        this.retryPause = retryPause;
        this.stopping = stopping;
    }

    /**
     * Runs the command to an outcome (applied, stale or failed) that may be acknowledged. Throws
     * {@link InterruptedException} when the loop stops meanwhile: the command stays pending and comes again.
     */
    void run(ReceivedCommand received) throws InterruptedException {
        Command command = received.command();
        String type = CommandCodec.type(command);
        if (outcomes.stale(command)) {
            LOG.infof("command %s %s for stream %s: older than the version applied here, skipped", received.entryId(),
                    type, command.streamId());
            return;
        }
        Exception last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            List<String> changed;
            try {
                changed = handler.handle(command);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (stopping.getAsBoolean()) {
                    throw new InterruptedException("stopping: " + type + " for stream " + command.streamId() + " left pending");
                }
                last = e;
                LOG.warnf("command %s %s for stream %s failed (try %d of %d): %s", received.entryId(), type,
                        command.streamId(), attempt, attempts, CommandOutcomes.describe(e));
                if (attempt < attempts) {
                    Thread.sleep(retryPause);
                }
                continue;
            }
            outcomes.applied(command, changed);
            return;
        }
        LOG.errorf(last, "command %s %s for stream %s failed %d times, reported and acknowledged: %s", received.entryId(),
                type, command.streamId(), attempts, CommandOutcomes.describe(last));
        outcomes.failed(received, last, attempts);
    }
}
