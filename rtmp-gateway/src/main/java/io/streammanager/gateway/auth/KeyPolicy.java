package io.streammanager.gateway.auth;

import io.streammanager.bus.control.Scope;
import io.streammanager.bus.control.StreamKeyRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Whether a stored key record lets its holder publish (or play) a stream name now. Pure, so every rule is unit tested. */
public final class KeyPolicy {

    private KeyPolicy() {
    }

    /** {@code record} is null when no key with the presented secret's hash exists. */
    public static AuthDecision checkPublish(StreamKeyRecord record, String streamName, long nowMs) {
        return check(Scope.PUBLISH, record, streamName, nowMs);
    }

    /** The same rules for either scope; {@code record} is null when no key with the secret's hash exists. */
    public static AuthDecision check(Scope scope, StreamKeyRecord record, String streamName, long nowMs) {
        if (record == null) {
            return AuthDecision.badAuth("unknown stream key");
        }
        // evaluate every rule before deciding, so the time taken does not say which rule failed
        boolean nameMatches = MessageDigest.isEqual(bytes(record.streamName()), bytes(streamName));
        boolean scoped = record.scopes().contains(scope);
        boolean expired = record.expiresAtMs() != 0 && nowMs >= record.expiresAtMs();
        if (record.revoked()) {
            return AuthDecision.badAuth("stream key revoked");
        }
        if (expired) {
            return AuthDecision.badAuth("stream key expired");
        }
        if (!scoped) {
            return AuthDecision.denied("stream key has no " + scope.name().toLowerCase(java.util.Locale.ROOT) + " scope");
        }
        if (!nameMatches) {
            return AuthDecision.denied("stream key is not for this stream name");
        }
        return AuthDecision.allow(record.streamId() == null || record.streamId().isEmpty() ? null : record.streamId());
    }

    private static byte[] bytes(String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }
}
