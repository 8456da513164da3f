package io.streammanager.composition.health;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.streammanager.bus.control.Heartbeats;
import io.streammanager.composition.config.CompositionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Writes this instance's heartbeat key with a TTL at a fixed interval, so other parts of the system can tell a
 * live composition instance from a dead one. A failed beat is logged once per outage, never thrown.
 */
@ApplicationScoped
public class InstanceHeartbeat {

    static final String SERVICE = "composition";
    private static final Logger LOG = Logger.getLogger(InstanceHeartbeat.class);

    private final Heartbeats heartbeats;
    private final CompositionConfig config;
    private ScheduledExecutorService scheduler;
    private volatile boolean failing;

    public InstanceHeartbeat(RedisDataSource redis, CompositionConfig config) {
        this.heartbeats = new Heartbeats(redis, SERVICE, config.instanceName());
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("heartbeat")
                .daemon(true).unstarted(r));
        scheduler.scheduleWithFixedDelay(this::beat, 0, config.heartbeat().interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void beat() {
        try {
            heartbeats.beat(config.heartbeat().ttl());
            if (failing) {
                LOG.info("heartbeat: Redis reachable again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warnf("heartbeat: cannot write to Redis: %s", e.getMessage());
                failing = true;
            }
        }
    }
}
