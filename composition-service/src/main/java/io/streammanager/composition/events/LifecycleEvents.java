package io.streammanager.composition.events;

import io.streammanager.bus.control.BusEvent;
import io.streammanager.bus.control.ControlConfig;
import io.streammanager.bus.control.EventBus;
import io.streammanager.bus.control.EventTypes;
import io.streammanager.bus.control.InstanceIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The composition service's lifecycle events on {@code sm:events}. An event that cannot be written is logged,
 * never thrown: the feed is for observers, and a stream must not fail to start or stop because of it.
 */
@ApplicationScoped
public class LifecycleEvents {

    static final String SERVICE = "composition";
    private static final Logger LOG = Logger.getLogger(LifecycleEvents.class);

    private final EventBus events;
    private final String instance;

    public LifecycleEvents(EventBus events, ControlConfig control) {
        this.events = events;
        this.instance = InstanceIdentity.of(control).instanceId();
    }

    public void created(String streamId, String name) {
        publish(EventTypes.STREAM_CREATED, streamId, Map.of("name", name, "instance", instance));
    }

    public void resumed(String streamId, String name, long generation) {
        publish(EventTypes.STREAM_STARTED, streamId, Map.of("name", name, "instance", instance,
                "resumed", "true", "generation", Long.toString(generation)));
    }

    public void stopped(String streamId, String name, String reason) {
        publish(EventTypes.STREAM_STOPPED, streamId, Map.of("name", name, "instance", instance, "reason", reason));
    }

    public void failed(String streamId, String message) {
        publish(EventTypes.STREAM_ERROR, streamId, Map.of("instance", instance, "message", message));
    }

    /** A video source changed state: attributes {@code source} (the layer id), {@code state}, {@code error}. */
    public void sourceState(String streamId, String source, String state, String error) {
        publish(EventTypes.SOURCE_STATE, streamId, error == null
                ? Map.of("instance", instance, "source", source, "state", state)
                : Map.of("instance", instance, "source", source, "state", state, "error", error));
    }

    private void publish(String type, String streamId, Map<String, String> attributes) {
        try {
            events.publish(BusEvent.of(type, streamId, SERVICE, attributes));
        } catch (RuntimeException e) {
            LOG.warnf("stream %s: could not publish %s event: %s", streamId, type, e.getMessage());
        }
    }
}
