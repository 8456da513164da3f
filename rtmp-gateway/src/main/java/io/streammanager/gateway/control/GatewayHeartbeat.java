package io.streammanager.gateway.control;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.streammanager.bus.control.Heartbeats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Writes {@code sm:heartbeat:rtmp-gateway:{instance}} every 5 s with a 15 s TTL, on its own thread (the bus client
 * blocks), so the control plane can tell this instance is alive.
 */
@ApplicationScoped
public class GatewayHeartbeat {

    public static final String INSTANCE_ID = ManagementFactory.getRuntimeMXBean().getName();
    private static final Logger LOG = Logger.getLogger(GatewayHeartbeat.class);
    private static final Duration PERIOD = Duration.ofSeconds(5);
    private static final Duration TTL = Duration.ofSeconds(15);

    private final Heartbeats heartbeats;
    private ScheduledExecutorService timer;

    public GatewayHeartbeat(RedisDataSource redis) {
        this.heartbeats = new Heartbeats(redis, GatewayEvents.SERVICE, INSTANCE_ID);
    }

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gateway-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::beat, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            heartbeats.beat(TTL);
        } catch (RuntimeException e) {
            LOG.debugf("heartbeat: not written: %s", e.toString());
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            timer.awaitTermination(2, TimeUnit.SECONDS);
        }
    }
}
