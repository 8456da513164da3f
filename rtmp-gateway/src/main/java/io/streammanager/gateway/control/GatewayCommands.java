package io.streammanager.gateway.control;

import io.streammanager.bus.control.Command;
import io.streammanager.bus.control.CommandHandler;
import io.streammanager.bus.control.StopStream;
import io.streammanager.bus.control.spec.StreamSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The gateway's part of the shared control loop: StopStream closes the stream's sessions. Nothing else is the
 * gateway's to apply (publishers bring their streams themselves), and nothing needs resuming.
 */
@ApplicationScoped
public class GatewayCommands implements CommandHandler {

    private static final Logger LOG = Logger.getLogger(GatewayCommands.class);

    private final StreamStopper stopper;

    public GatewayCommands(StreamStopper stopper) {
        this.stopper = stopper;
    }

    @Override
    public void resume(List<StreamSpec> stored) {
        // sessions come and go with their connections: there is no stored state to bring back
    }

    @Override
    public List<String> handle(Command command) {
        if (command instanceof StopStream stop) {
            int closed = stopper.stopStream(stop.streamName(), "stopped: " + stop.reason());
            LOG.infof("commands: StopStream id=%s stream=%s reason=%s closed %d sessions",
                    stop.streamId(), stop.streamName(), stop.reason(), closed);
        }
        return List.of();
    }
}
