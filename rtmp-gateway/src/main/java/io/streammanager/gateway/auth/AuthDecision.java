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

    public static AuthDecision denied(String reason) {
        return new AuthDecision(false, null, DENIED, reason);
    }
}
