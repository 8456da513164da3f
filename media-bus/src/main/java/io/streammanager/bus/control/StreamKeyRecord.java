package io.streammanager.bus.control;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a stream key allows, stored as a Redis hash at {@link RedisKeys#streamKey(String)} (the secret itself is not
 * stored). {@code expiresAtMs} 0 means it never expires.
 */
public record StreamKeyRecord(String streamName, Set<Scope> scopes, String streamId, long expiresAtMs, boolean revoked) {

    static final String VERSION = "1";

    public StreamKeyRecord {
        scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
    }

    /** Whether this key lets {@code scope} on {@code name} at {@code nowMs}. */
    public boolean allows(Scope scope, String name, long nowMs) {
        return !revoked && scopes.contains(scope) && streamName.equals(name) && (expiresAtMs == 0 || nowMs < expiresAtMs);
    }

    public Map<String, String> toMap() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("v", VERSION);
        fields.put("streamName", streamName);
        fields.put("scopes", scopes.stream().map(Enum::name).sorted().collect(Collectors.joining(",")));
        fields.put("streamId", streamId == null ? "" : streamId);
        fields.put("expiresAtMs", Long.toString(expiresAtMs));
        fields.put("revoked", Boolean.toString(revoked));
        return fields;
    }

    /** Decodes a stored record; throws {@link CodecException} naming the bad field. */
    public static StreamKeyRecord fromMap(Map<String, String> fields) {
        Fields f = new Fields("stream key", fields);
        f.requireVersion(VERSION);
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String s : f.string("scopes").split(",")) {
            if (!s.isBlank()) {
                scopes.add(f.enumValue("scopes", Scope.class, s));
            }
        }
        return new StreamKeyRecord(f.string("streamName"), scopes, f.optional("streamId", ""), f.longValue("expiresAtMs"),
                Boolean.parseBoolean(f.string("revoked")));
    }
}
