package io.streammanager.composition.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.websockets.next.WebSocketConnection;
import io.streammanager.bus.control.BusEvent;
import io.streammanager.bus.control.EventBus;
import io.streammanager.bus.control.RedisKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Tails {@code sm:events} for every open WebSocket: one poller thread reads, for each subscriber, the entries
 * after its cursor and sends them as JSON text frames. A subscriber starts after the entry id it asked for, or at
 * the current end of the stream (only new events) when it asked for none.
 */
@ApplicationScoped
public class EventFeed {

    static final int BATCH = 200;
    static final long POLL_MS = 200;
    private static final Logger LOG = Logger.getLogger(EventFeed.class);

    private final EventBus events;
    private final RedisDataSource redis;
    private final ObjectMapper json;
    private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
    private ScheduledExecutorService poller;

    private static final class Subscriber {
        final WebSocketConnection connection;
        volatile String cursor;

        Subscriber(WebSocketConnection connection, String cursor) {
            this.connection = connection;
            this.cursor = cursor;
        }
    }

    public EventFeed(EventBus events, RedisDataSource redis, ObjectMapper json) {
        this.events = events;
        this.redis = redis;
        this.json = json;
    }

    /** Starts feeding {@code connection}; {@code afterEntryId} null means "from now on". Blocking (reads Redis). */
    public void subscribe(WebSocketConnection connection, String afterEntryId) {
        String cursor = afterEntryId != null ? afterEntryId : lastEntryId();
        subscribers.put(connection.id(), new Subscriber(connection, cursor));
        startPoller();
    }

    public void unsubscribe(String connectionId) {
        subscribers.remove(connectionId);
    }

    void stop(@Observes ShutdownEvent event) {
        synchronized (this) {
            if (poller != null) {
                poller.shutdownNow();
            }
        }
    }

    private synchronized void startPoller() {
        if (poller == null) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("event-feed")
                    .daemon(true).unstarted(r));
            poller.scheduleWithFixedDelay(this::pollAll, 0, POLL_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void pollAll() {
        for (Subscriber subscriber : subscribers.values()) {
            try {
                poll(subscriber);
            } catch (RuntimeException e) {
                LOG.warnf("event feed: connection %s: %s", subscriber.connection.id(), e.getMessage());
            }
        }
    }

    private void poll(Subscriber subscriber) {
        if (!subscriber.connection.isOpen()) {
            subscribers.remove(subscriber.connection.id());
            return;
        }
        List<Map.Entry<String, BusEvent>> batch = events.readAfter(subscriber.cursor, BATCH);
        for (Map.Entry<String, BusEvent> entry : batch) {
            subscriber.connection.sendText(toJson(EventMessage.of(entry.getKey(), entry.getValue())))
                    .subscribe().with(sent -> { }, failure -> LOG.debugf("event feed: send failed: %s", failure));
            subscriber.cursor = entry.getKey();
        }
    }

    private String lastEntryId() {
        List<StreamMessage<String, String, String>> last =
                redis.stream(String.class).xrevrange(RedisKeys.EVENTS, StreamRange.of("+", "-"), 1);
        return last.isEmpty() ? "0-0" : last.getFirst().id();
    }

    private String toJson(EventMessage message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event feed: cannot encode event " + message.id(), e);
        }
    }
}
