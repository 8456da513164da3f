package io.streammanager.gateway.control;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.streammanager.bus.control.CommandBus;
import io.streammanager.bus.control.ConsumerGroups;
import io.streammanager.bus.control.ReceivedCommand;
import io.streammanager.bus.control.StopStream;
import io.streammanager.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Reads {@code sm:commands} with consumer group {@code GATEWAY} on its own thread (the bus client blocks) and closes
 * the sessions of a stream on {@code StopStream}. Other commands are acknowledged and ignored. Redis being down only
 * delays commands: the loop retries with a pause.
 */
@ApplicationScoped
public class CommandConsumer {

    private static final Logger LOG = Logger.getLogger(CommandConsumer.class);

    private final CommandBus bus;
    private final GatewayConfig config;
    private final StreamStopper stopper;
    private final String consumer = "gateway-" + GatewayHeartbeat.INSTANCE_ID;
    private volatile boolean running;
    private Thread thread;

    public CommandConsumer(RedisDataSource redis, GatewayConfig config, StreamStopper stopper) {
        this.bus = new CommandBus(redis);
        this.config = config;
        this.stopper = stopper;
    }

    void start(@Observes StartupEvent event) {
        if (!config.control().commandsEnabled()) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("gateway-commands").daemon().start(this::run);
    }

    private void run() {
        boolean groupReady = false;
        while (running) {
            try {
                if (!groupReady) {
                    bus.ensureGroup(ConsumerGroups.GATEWAY);
                    groupReady = true;
                }
                List<ReceivedCommand> commands = bus.read(ConsumerGroups.GATEWAY, consumer, 16, config.control().commandBlock());
                for (ReceivedCommand received : commands) {
                    handle(received);
                    bus.ack(ConsumerGroups.GATEWAY, received);
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warnf("commands: read from sm:commands failed, retrying in 1s: %s", e.toString());
                    pause(Duration.ofSeconds(1));
                }
            }
        }
    }

    private void handle(ReceivedCommand received) {
        if (received.command() instanceof StopStream stop) {
            int closed = stopper.stopStream(stop.streamName(), "stopped: " + stop.reason());
            LOG.infof("commands: StopStream id=%s stream=%s reason=%s closed %d sessions",
                    stop.streamId(), stop.streamName(), stop.reason(), closed);
        }
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(3000);
        }
    }
}
