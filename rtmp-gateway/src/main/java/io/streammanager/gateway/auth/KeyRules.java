package io.streammanager.gateway.auth;

import io.streammanager.bus.control.Scope;
import io.streammanager.gateway.relay.StreamNames;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What a key request must satisfy, and how a key is shown after creation. Pure, so every rule is unit tested. */
public final class KeyRules {

    /** Characters of the secret shown in listings: 24 of its 256 bits, enough to tell keys apart. */
    static final int HINT_CHARS = 4;

    private KeyRules() {
    }

    /** A checked key request; {@code expiresAtMs} 0 means it never expires. */
    public record NewKey(String streamName, Set<Scope> scopes, long expiresAtMs) {
    }

    /** A request field that breaks a rule; {@code field} names it for the 400 answer. */
    public static final class InvalidKeyRequest extends RuntimeException {
        private final String field;

        public InvalidKeyRequest(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** Checks a creation request at {@code nowMs}; throws {@link InvalidKeyRequest} naming the first bad field. */
    public static NewKey validate(String streamName, List<String> scopes, Long expiresAtMs, long nowMs) {
        if (streamName == null || !StreamNames.valid(streamName)) {
            throw new InvalidKeyRequest("streamName", "streamName must be " + StreamNames.rule());
        }
        return new NewKey(streamName, parseScopes(scopes), checkExpiry(expiresAtMs, nowMs));
    }

    static Set<Scope> parseScopes(List<String> scopes) {
        if (scopes == null || scopes.isEmpty()) {
            throw new InvalidKeyRequest("scopes", "scopes must list at least one of [publish, play]");
        }
        Set<Scope> parsed = EnumSet.noneOf(Scope.class);
        for (String scope : scopes) {
            parsed.add(parseScope(scope));
        }
        return parsed;
    }

    private static Scope parseScope(String scope) {
        if (scope != null) {
            for (Scope candidate : Scope.values()) {
                if (candidate.name().equalsIgnoreCase(scope)) {
                    return candidate;
                }
            }
        }
        throw new InvalidKeyRequest("scopes", "unknown scope '" + scope + "', expected one of [publish, play]");
    }

    static long checkExpiry(Long expiresAtMs, long nowMs) {
        if (expiresAtMs == null || expiresAtMs == 0) {
            return 0;
        }
        if (expiresAtMs <= nowMs) {
            throw new InvalidKeyRequest("expiresAtMs", "expiresAtMs=" + expiresAtMs + " is not in the future (now "
                    + nowMs + "); omit it or use 0 for a key that never expires");
        }
        return expiresAtMs;
    }

    /** Scope names as the API spells them: lower case, in a stable order. */
    public static List<String> scopeNames(Set<Scope> scopes) {
        return scopes.stream().sorted().map(s -> s.name().toLowerCase(Locale.ROOT)).toList();
    }

    /** What a listing shows of a secret: its first characters and an ellipsis. */
    public static String hint(String secret) {
        return secret.substring(0, Math.min(HINT_CHARS, secret.length())) + "\u2026";
    }
}
