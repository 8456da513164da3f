package io.streammanager.composition.control;

import io.streammanager.bus.control.Command;
import io.streammanager.bus.control.CommandHandler;
import io.streammanager.bus.control.RestartOutput;
import io.streammanager.bus.control.StartStream;
import io.streammanager.bus.control.StopStream;
import io.streammanager.bus.control.UpdateStream;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.composition.stream.StreamLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The composition's part of the shared control loop. The REST API already renders a created stream and stops a
 * deleted one before it publishes the command, so start and stop here only catch up (after a restart, or for a
 * command this instance did not issue); resume renders the stored streams again, update brings the scene in line.
 */
@ApplicationScoped
public class CompositionCommands implements CommandHandler {

    private static final Logger LOG = Logger.getLogger(CompositionCommands.class);
    private static final List<String> SCENE = List.of("scene");

    private final StreamLifecycle lifecycle;

    public CompositionCommands(StreamLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public void resume(List<StreamSpec> stored) {
        int resumed = lifecycle.resumeStored(stored);
        if (resumed > 0) {
            LOG.infof("resumed %d stored stream(s)", resumed);
        }
    }

    @Override
    public List<String> handle(Command command) {
        return switch (command) {
            case StartStream start -> lifecycle.renderIfStored(start.spec()) ? SCENE : List.of();
            case UpdateStream update -> lifecycle.applyUpdate(update.spec());
            case StopStream stop -> {
                if (lifecycle.stopRenderingHere(stop.streamId())) {
                    LOG.infof("stream %s: rendering stopped (%s)", stop.streamId(), stop.reason());
                }
                yield List.of();
            }
            case RestartOutput ignored -> List.of();
        };
    }
}
