package io.streammanager.muxer.control;

import io.streammanager.bus.control.Command;
import io.streammanager.bus.control.CommandHandler;
import io.streammanager.bus.control.RestartOutput;
import io.streammanager.bus.control.StartStream;
import io.streammanager.bus.control.StopStream;
import io.streammanager.bus.control.UpdateStream;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.muxer.pipeline.PipelineManager;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The muxer's part of the shared control loop: start, update and resume bring a stream's pipeline in line with its
 * spec (only the outputs that differ change), stop ends it within about a second.
 */
@ApplicationScoped
public class MuxerCommands implements CommandHandler {
    private static final Logger LOG = Logger.getLogger(MuxerCommands.class);
    private static final List<String> OUTPUTS = List.of("outputs");

    private final PipelineManager pipelines;

    public MuxerCommands(PipelineManager pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public void resume(List<StreamSpec> stored) throws InterruptedException {
        int resumed = 0;
        for (StreamSpec spec : stored) {
            try {
                pipelines.start(spec);
                resumed++;
            } catch (RuntimeException e) {
                // one bad stored spec must not keep the others off the air
                LOG.warnf("commands: stream %s not resumed: %s", spec.id(), e.getMessage());
            }
        }
        if (resumed > 0) {
            LOG.infof("commands: resumed %d provisioned stream(s)", resumed);
        }
    }

    @Override
    public List<String> handle(Command command) throws InterruptedException {
        return switch (command) {
            case StartStream start -> {
                StreamSpec spec = start.spec();
                if (spec.id() == null || spec.name() == null) {
                    throw new IllegalArgumentException("StartStream without a stream id or name");
                }
                boolean wasRunning = pipelines.running(spec.id());
                pipelines.start(spec);
                yield wasRunning ? List.of() : OUTPUTS;
            }
            case UpdateStream update -> {
                pipelines.start(update.spec());
                yield update.changed().contains("outputs") ? OUTPUTS : List.of();
            }
            case RestartOutput restart -> {
                if (pipelines.restartOutput(restart.streamId(), restart.outputId())) {
                    LOG.infof("commands: output %s of stream %s reconnects now", restart.outputId(),
                            restart.streamId());
                    yield List.of("outputs." + restart.outputId() + ".restart");
                }
                // live, paused, or not run here: nothing to reconnect
                LOG.infof("commands: output %s of stream %s not restarted (live, paused or not running here)",
                        restart.outputId(), restart.streamId());
                yield List.of();
            }
            case StopStream stop -> {
                if (!pipelines.stop(stop.streamId())) {
                    LOG.debugf("commands: StopStream for %s, which does not run here", stop.streamId());
                }
                yield List.of();
            }
        };
    }
}
