package io.streammanager.muxer.control;

import io.quarkus.redis.datasource.RedisDataSource;
import io.streammanager.bus.control.BusEvent;
import io.streammanager.bus.control.EventBus;
import io.streammanager.bus.control.EventTypes;
import io.streammanager.muxer.output.ErrorCategory;
import io.streammanager.muxer.output.Output;
import io.streammanager.muxer.output.OutputListener;
import io.streammanager.muxer.output.OutputState;
import io.streammanager.muxer.output.SharedPacket;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Publishes {@code output.state} events to {@code sm:events}. Output threads only enqueue (bounded, dropping when
 * full); one publisher thread does the blocking Redis writes, so a slow Redis never stalls an output. The
 * attributes are output id, state, attempt and error category: never the URL.
 */
@ApplicationScoped
public class OutputEvents {
    static final String SERVICE = "muxer";
    private static final Logger LOG = Logger.getLogger(OutputEvents.class);

    private final EventBus eventBus;
    private final BlockingQueue<BusEvent> pending = new ArrayBlockingQueue<>(1024);
    private final AtomicLong droppedEvents = new AtomicLong();
    private final Thread publisher;
    private volatile boolean running = true;

    public OutputEvents(RedisDataSource redis) {
        this.eventBus = new EventBus(redis);
        this.publisher = Thread.ofPlatform().daemon(true).name("muxer-events").start(this::publishLoop);
    }

    public OutputListener listener() {
        return new OutputListener() {
            @Override
            public void stateChanged(Output output, OutputState state, int attempt, ErrorCategory lastError) {
                Map<String, String> attributes = new LinkedHashMap<>();
                attributes.put("output", output.id());
                attributes.put("state", state.name());
                attributes.put("attempt", Integer.toString(attempt));
                if (lastError != null && state != OutputState.LIVE) {
                    attributes.put("category", lastError.tag());
                }
                if (!pending.offer(BusEvent.of(EventTypes.OUTPUT_STATE, output.streamId(), SERVICE, attributes))) {
                    droppedEvents.incrementAndGet();
                }
            }

            @Override
            public void error(Output output, ErrorCategory category) {
            }

            @Override
            public void retryScheduled(Output output, int attempt, long delayNs) {
            }

            @Override
            public void packetWritten(Output output, SharedPacket packet, long writtenAtEpochUs) {
            }
        };
    }

    private void publishLoop() {
        while (running) {
            BusEvent event;
            try {
                event = pending.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (event == null) {
                continue;
            }
            try {
                eventBus.publish(event);
            } catch (RuntimeException e) {
                LOG.debugf("could not publish %s for stream %s: %s", event.type(), event.streamId(), e.getMessage());
            }
        }
    }

    public long droppedEvents() {
        return droppedEvents.get();
    }

    @PreDestroy
    void stop() {
        running = false;
        publisher.interrupt();
    }
}
