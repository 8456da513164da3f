package io.streammanager.bus.auth;

import java.util.HashMap;
import java.util.Map;

/**
 * What is known about an API token, never the token itself: its id (for listing and revoking), role, creation and
 * expiry times ({@code expiresAtMs} 0 = never), an optional description and a hint (the token's first characters,
 * so an operator can tell tokens apart).
 */
public record ApiToken(String id, String role, long createdAtMs, long expiresAtMs, String description, String hint) {

    static final String FIELD_ID = "id";
    static final String FIELD_ROLE = "role";
    static final String FIELD_CREATED = "createdAtMs";
    static final String FIELD_EXPIRES = "expiresAtMs";
    static final String FIELD_DESCRIPTION = "description";
    static final String FIELD_HINT = "hint";
    /** The token's SHA-256 inside its own record too, so a lookup is confirmed by a constant-time comparison. */
    static final String FIELD_HASH = "hash";

    public boolean expiredAt(long nowMs) {
        return expiresAtMs > 0 && nowMs >= expiresAtMs;
    }

    /** The stored form, with the token's hash (never the token). */
    Map<String, String> toMap(String hashHex) {
        Map<String, String> fields = new HashMap<>();
        fields.put(FIELD_ID, id);
        fields.put(FIELD_ROLE, role);
        fields.put(FIELD_CREATED, Long.toString(createdAtMs));
        fields.put(FIELD_EXPIRES, Long.toString(expiresAtMs));
        fields.put(FIELD_DESCRIPTION, description == null ? "" : description);
        fields.put(FIELD_HINT, hint);
        fields.put(FIELD_HASH, hashHex);
        return fields;
    }

    /** Reads a stored record; a record with a missing id or an unknown role is refused ({@link IllegalArgumentException}). */
    static ApiToken fromMap(Map<String, String> fields) {
        String id = fields.get(FIELD_ID);
        String role = fields.get(FIELD_ROLE);
        if (id == null || id.isEmpty() || !Roles.known(role)) {
            throw new IllegalArgumentException("api token record without id or with unknown role '" + role + "'");
        }
        String description = fields.getOrDefault(FIELD_DESCRIPTION, "");
        return new ApiToken(id, role, parseLong(fields.get(FIELD_CREATED)), parseLong(fields.get(FIELD_EXPIRES)),
                description.isEmpty() ? null : description, fields.getOrDefault(FIELD_HINT, ""));
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
