package io.streammanager.encoder.control;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.RedisDataSource;
import io.streammanager.bus.control.BusEvent;
import io.streammanager.bus.control.EventBus;
import io.streammanager.bus.control.EventTypes;
import io.streammanager.encoder.pipeline.EncoderErrorCategory;
import io.streammanager.encoder.pipeline.WorkerListener;

/** Publishes worker lifecycle on {@code sm:events}. A Redis hiccup costs an event, never a worker. */
@ApplicationScoped
public class EventPublisher implements WorkerListener {

    static final String SERVICE = "encoder";
    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final EventBus events;

    public EventPublisher(RedisDataSource redis) {
        this.events = new EventBus(redis);
    }

    @Override
    public void started(String streamId, String encoderName) {
        publish(EventTypes.STREAM_STARTED, streamId, Map.of("encoder", encoderName));
    }

    @Override
    public void error(String streamId, String message) {
        publish(EventTypes.STREAM_ERROR, streamId, Map.of("message", message));
    }

    @Override
    public void encoderError(String streamId, EncoderErrorCategory category, String message) {
        publish(EventTypes.ENCODER_ERROR, streamId, Map.of("category", category.label(), "message", message));
    }

    @Override
    public void stopped(String streamId, String reason) {
        publish(EventTypes.STREAM_STOPPED, streamId, Map.of("reason", reason));
    }

    private void publish(String type, String streamId, Map<String, String> attributes) {
        try {
            events.publish(BusEvent.of(type, streamId, SERVICE, attributes));
        } catch (RuntimeException e) {
            LOG.warnf("stream %s: could not publish %s: %s", streamId, type, e.toString());
        }
    }
}
