package io.streammanager.gateway.auth;

/**
 * The answer to a publish attempt. {@code statusCode} is the RTMP status sent on refusal; {@code reason} is safe to
 * log and to send (it never contains key material).
 */
public record AuthDecision(boolean allowed, String streamId, String statusCode, String reason) {

    public static final String BAD_AUTH = "NetStream.Publish.BadAuth";
    public static final String DENIED = "NetStream.Publish.Denied";

    public static AuthDecision allow(String streamId) {
        return new AuthDecision(true, streamId, null, "ok");
    }

    public static AuthDecision badAuth(String reason) {
        return new AuthDecision(false, null, BAD_AUTH, reason);
    }

    public static final String PLAY_FAILED = "NetStream.Play.Failed";
    /** Reason when the key could not be checked (Redis down or slow): not the client's fault. */
    public static final String UNAVAILABLE = "key check unavailable";

    public static AuthDecision denied(String reason) {
        return new AuthDecision(false, null, DENIED, reason);
    }

    public static AuthDecision unavailable() {
        return new AuthDecision(false, null, DENIED, UNAVAILABLE);
    }

    /** Whether this refusal counts against the source address in the failure limiter. */
    public boolean failedAuthentication() {
        return !allowed && !UNAVAILABLE.equals(reason);
    }
}
