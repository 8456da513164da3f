package io.streammanager.gateway.control;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.streammanager.bus.control.BusEvent;
import io.streammanager.bus.control.EventBus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Publishes gateway events (publish.start/stop, play.start/stop, auth.failed) on {@code sm:events}. The bus client
 * blocks, so events go through one bounded worker thread (in order); when Redis is slow, events beyond the bound are
 * dropped and counted rather than held in memory or blocking an event loop. Attributes never carry key material.
 */
@ApplicationScoped
public class GatewayEvents {

    public static final String SERVICE = "rtmp-gateway";
    private static final Logger LOG = Logger.getLogger(GatewayEvents.class);

    private final EventBus bus;
    private final AtomicLong dropped = new AtomicLong();
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024), runnable -> {
                Thread thread = new Thread(runnable, "gateway-events");
                thread.setDaemon(true);
                return thread;
            }, (runnable, executor) -> dropped.incrementAndGet());

    public GatewayEvents(RedisDataSource redis) {
        this.bus = new EventBus(redis);
    }

    /** Queues an event; {@code streamId} may be null when the stream is known only by name. */
    public void publish(String type, String streamId, Map<String, String> attributes) {
        BusEvent event = BusEvent.of(type, streamId == null ? "" : streamId, SERVICE, attributes);
        worker.execute(() -> {
            try {
                bus.publish(event);
            } catch (RuntimeException e) {
                LOG.warnf("events: %s for stream=%s not published: %s", type, attributes.get("streamName"), e.toString());
            }
        });
    }

    public long dropped() {
        return dropped.get();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        worker.shutdown();
        worker.awaitTermination(2, TimeUnit.SECONDS);
    }
}
