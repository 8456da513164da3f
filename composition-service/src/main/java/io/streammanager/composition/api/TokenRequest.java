package io.streammanager.composition.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.streammanager.bus.auth.Roles;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /api/v1/tokens}, validated field by field so a 400 names the bad one; unknown fields are
 * refused too (a typo must not silently make a token that never expires).
 */
@Schema(name = "TokenRequest", description = "A new API token: its role, and optionally a lifetime and a description")
public record TokenRequest(
        @Schema(required = true, enumeration = {Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER}) String role,
        @Schema(description = "lifetime in seconds; absent = never expires", minimum = "1", maximum = "315360000")
        Long expiresInSeconds,
        @Schema(description = "free text shown in listings, at most 200 characters", maxLength = 200) String description) {

    static final long MAX_LIFETIME_SECONDS = Duration.ofDays(3650).toSeconds();
    static final int MAX_DESCRIPTION = 200;
    private static final Set<String> FIELDS = Set.of("role", "expiresInSeconds", "description");

    /** A bad field: its name and what is wrong. */
    static final class Invalid extends RuntimeException {
        final String field;

        Invalid(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }

    Optional<Duration> lifetime() {
        return Optional.ofNullable(expiresInSeconds).map(Duration::ofSeconds);
    }

    static TokenRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new Invalid("body", "a JSON object {role, expiresInSeconds?, description?} is required");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new Invalid(name, "unknown field: expected role, expiresInSeconds or description");
            }
        }
        JsonNode role = body.get("role");
        if (role == null || !role.isTextual() || !Roles.known(role.asText())) {
            throw new Invalid("role", "must be one of " + Roles.ALL);
        }
        Long lifetime = null;
        JsonNode expires = body.get("expiresInSeconds");
        if (expires != null && !expires.isNull()) {
            if (!expires.canConvertToExactIntegral() || expires.asLong() < 1 || expires.asLong() > MAX_LIFETIME_SECONDS) {
                throw new Invalid("expiresInSeconds", "must be an integer from 1 to " + MAX_LIFETIME_SECONDS);
            }
            lifetime = expires.asLong();
        }
        String description = null;
        JsonNode text = body.get("description");
        if (text != null && !text.isNull()) {
            if (!text.isTextual() || text.asText().length() > MAX_DESCRIPTION) {
                throw new Invalid("description", "must be a string of at most " + MAX_DESCRIPTION + " characters");
            }
            description = text.asText();
        }
        return new TokenRequest(role.asText(), lifetime, description);
    }
}
