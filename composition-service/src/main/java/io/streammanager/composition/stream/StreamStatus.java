package io.streammanager.composition.stream;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the services report about a stored stream: per service the spec version it applied and the error of a
 * version it could not apply, and per output the muxer's status as JSON (no URL, no key).
 */
public record StreamStatus(Map<String, Long> applied, Map<String, String> errors, Map<String, String> outputs) {

    public static final StreamStatus NONE = new StreamStatus(Map.of(), Map.of(), Map.of());

    public StreamStatus {
        applied = Map.copyOf(applied);
        errors = Map.copyOf(errors);
        outputs = Map.copyOf(outputs);
    }

    /** Reads the {@code sm:stream-status} hash: {@code <service>.version} and {@code <service>.error} fields. */
    static StreamStatus of(Map<String, String> streamStatus, Map<String, String> outputStatus) {
        Map<String, Long> applied = new TreeMap<>();
        Map<String, String> errors = new TreeMap<>();
        streamStatus.forEach((field, value) -> {
            int dot = field.lastIndexOf('.');
            if (dot <= 0 || value == null || value.isEmpty()) {
                return;
            }
            String service = field.substring(0, dot);
            switch (field.substring(dot + 1)) {
                case "version" -> {
                    try {
                        applied.put(service, Long.parseLong(value));
                    } catch (NumberFormatException ignored) {
                        // a field another version wrote differently: not ours to show
                    }
                }
                case "error" -> errors.put(service, value);
                default -> {
                }
            }
        });
        return new StreamStatus(applied, errors, outputStatus);
    }
}
