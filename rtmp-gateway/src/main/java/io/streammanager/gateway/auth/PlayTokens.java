package io.streammanager.gateway.auth;

import io.streammanager.gateway.relay.StreamNames;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring play tokens: {@code <expiresAtMs>.<base64url(HMAC-SHA256(secret, streamName + "\n" + expiresAtMs))>}.
 * Anyone holding the gateway's token secret can issue one; the gateway checks it locally (a revoked one is then looked
 * up in Redis, see {@link StreamKeyVerifier}). The signature binds the stream name and the expiry, so neither can be
 * changed; the comparison takes constant time. Pure (the clock is passed in) and thread-safe.
 */
public final class PlayTokens {

    /** Shortest secret accepted: 32 characters, so a signature cannot be forged by guessing the secret. */
    public static final int MIN_SECRET_LENGTH = 32;
    private static final String ALGORITHM = "HmacSHA256";
    /** Decimal digits of a millisecond timestamp we accept; more is malformed, not a far-future expiry. */
    private static final int MAX_EXPIRY_DIGITS = 15;
    /** base64url, unpadded, of a 32-byte HMAC-SHA256. */
    private static final int SIGNATURE_LENGTH = 43;

    private final SecretKeySpec key;
    private final Duration maxTtl;

    public PlayTokens(String secret, Duration maxTtl) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("play token secret must have at least " + MIN_SECRET_LENGTH
                    + " characters, had " + (secret == null ? 0 : secret.length()));
        }
        if (maxTtl.isNegative() || maxTtl.isZero()) {
            throw new IllegalArgumentException("play token max TTL must be positive, was " + maxTtl);
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.maxTtl = maxTtl;
    }

    public Duration maxTtl() {
        return maxTtl;
    }

    /** Default lifetime of a token when a request names none. */
    public static final long DEFAULT_TTL_SECONDS = 300;

    /** A checked token request: the stream name and when the token expires. */
    public record TokenRequest(String streamName, long expiresAtMs) {
    }

    /**
     * Checks an issue request at {@code nowMs}: a valid stream name and a TTL from 1 s to the configured maximum
     * (absent = {@link #DEFAULT_TTL_SECONDS}, capped at the maximum); throws {@link KeyRules.InvalidKeyRequest} naming
     * the bad field.
     */
    public TokenRequest validate(String streamName, Long ttlSeconds, long nowMs) {
        if (streamName == null || !StreamNames.valid(streamName)) {
            throw new KeyRules.InvalidKeyRequest("streamName", "streamName must be " + StreamNames.rule());
        }
        long maxSeconds = maxTtl.toSeconds();
        long ttl = ttlSeconds == null ? Math.min(DEFAULT_TTL_SECONDS, maxSeconds) : ttlSeconds;
        if (ttl < 1 || ttl > maxSeconds) {
            throw new KeyRules.InvalidKeyRequest("ttlSeconds", "ttlSeconds must be from 1 to " + maxSeconds
                    + " (gateway.auth.play-token-max-ttl), was " + ttl);
        }
        return new TokenRequest(streamName, nowMs + ttl * 1000);
    }

    /** A token for {@code streamName} valid until {@code expiresAtMs}; the caller has validated both. */
    public String issue(String streamName, long expiresAtMs) {
        return expiresAtMs + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sign(streamName, expiresAtMs));
    }

    /**
     * Whether {@code token} lets its holder play {@code streamName} at {@code nowMs}. A refusal's reason is safe to log
     * and send: it never holds the token.
     */
    public AuthDecision check(String token, String streamName, long nowMs) {
        Signature signature = verifySignature(token, streamName);
        if (signature.refusal() != null) {
            return signature.refusal();
        }
        if (nowMs >= signature.expiresAtMs()) {
            return AuthDecision.badAuth("play token expired");
        }
        return AuthDecision.allow(null);
    }

    /** A token's signature check: its expiry when well formed and signed for the stream name, else the refusal. */
    public record Signature(long expiresAtMs, AuthDecision refusal) {
    }

    /** Checks form and signature only, not the expiry (revoking an expired token needs no record). */
    public Signature verifySignature(String token, String streamName) {
        if (token == null || token.isEmpty()) {
            return new Signature(0, AuthDecision.badAuth("no play token given (use ?token=...)"));
        }
        Signature malformed = new Signature(0, AuthDecision.badAuth("malformed play token"));
        int dot = token.indexOf('.');
        if (dot < 1 || dot > MAX_EXPIRY_DIGITS || token.length() - dot - 1 != SIGNATURE_LENGTH) {
            return malformed;
        }
        long expiresAtMs;
        byte[] presented;
        try {
            expiresAtMs = Long.parseLong(token, 0, dot, 10);
            presented = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) { // the message would echo the token, so drop it
            return malformed;
        }
        if (expiresAtMs <= 0) {
            return malformed;
        }
        // the signature is checked before the expiry, so an expired forgery and a fresh one take the same path
        if (!MessageDigest.isEqual(sign(streamName, expiresAtMs), presented)) {
            return new Signature(expiresAtMs, AuthDecision.badAuth("play token is not valid for this stream name"));
        }
        return new Signature(expiresAtMs, null);
    }

    private byte[] sign(String streamName, long expiresAtMs) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal((streamName + "\n" + expiresAtMs).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
