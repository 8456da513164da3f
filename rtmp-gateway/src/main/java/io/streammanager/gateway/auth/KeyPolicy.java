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
        boolean nameMatches = MessageDigest.isEqual(bytes(record.streamName()), bytes(streamName))
                || scope == Scope.PUBLISH && renditionOf(record, streamName);
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

    /** A rendition's id as the muxer appends it to the stream name ({@code <name>_<id>}). */
    private static final java.util.regex.Pattern RENDITION_ID = java.util.regex.Pattern.compile("[a-z0-9_-]{1,16}");

    /**
     * Whether {@code streamName} is {@code <record's name>_<rendition id>} under a key the composition issued for a
     * managed stream (it has a stream id): the muxer publishes every rendition but the first under such a name with
     * the stream's one key. Hand-made keys (no stream id) stay bound to their exact name.
     */
    static boolean renditionOf(StreamKeyRecord record, String streamName) {
        String base = record.streamName();
        if (record.streamId() == null || record.streamId().isEmpty() || base == null || streamName == null
                || streamName.length() <= base.length() + 1 || !streamName.startsWith(base)
                || streamName.charAt(base.length()) != '_') {
            return false;
        }
        return RENDITION_ID.matcher(streamName.substring(base.length() + 1)).matches();
    }

    private static byte[] bytes(String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }
}
