package io.streammanager.composition.events;

import io.streammanager.bus.control.BusEvent;
import java.util.Map;

/** One {@code sm:events} entry as the WebSocket feed sends it; {@code id} is the Redis entry id to resume after. */
public record EventMessage(String id, String type, String streamId, String service, long timeMs,
                           Map<String, String> attributes) {

    static EventMessage of(String entryId, BusEvent event) {
        return new EventMessage(entryId, event.type(), event.streamId(), event.service(), event.timeMs(),
                event.attributes());
    }
}
