package io.streammanager.bus.control;

import java.util.Map;

/**
 * Something that happened, on {@link RedisKeys#EVENTS}. The Redis entry id is the event's resumable position.
 * Attributes never hold secrets.
 */
public record BusEvent(String type, String streamId, String service, long timeMs, Map<String, String> attributes) {

    public BusEvent {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public static BusEvent of(String type, String streamId, String service, Map<String, String> attributes) {
        return new BusEvent(type, streamId, service, System.currentTimeMillis(), attributes);
    }
}
