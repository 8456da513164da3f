package io.streammanager.bus.control;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Events to and from Redis stream entries; attributes travel as fields prefixed {@code a.}. */
public final class EventCodec {

    static final String VERSION = "1";
    private static final String ATTRIBUTE_PREFIX = "a.";

    private EventCodec() {
    }

    public static Map<String, String> encode(BusEvent event) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("v", VERSION);
        fields.put("type", event.type());
        fields.put("streamId", event.streamId() == null ? "" : event.streamId());
        fields.put("service", event.service());
        fields.put("timeMs", Long.toString(event.timeMs()));
        event.attributes().forEach((k, v) -> fields.put(ATTRIBUTE_PREFIX + k, v));
        return fields;
    }

    public static BusEvent decode(Map<String, String> fields) {
        Fields f = new Fields("event", fields);
        f.requireVersion(VERSION);
        Map<String, String> attributes = new TreeMap<>();
        fields.forEach((k, v) -> {
            if (k.startsWith(ATTRIBUTE_PREFIX)) {
                attributes.put(k.substring(ATTRIBUTE_PREFIX.length()), v);
            }
        });
        return new BusEvent(f.string("type"), f.optional("streamId", ""), f.string("service"), f.longValue("timeMs"),
                attributes);
    }
}
