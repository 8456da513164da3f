package io.streammanager.bus.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Stream key secrets: generated with 256 bits of entropy, stored only as their SHA-256, compared in constant time.
 * A secret never goes into a log line, an event or a metric label.
 */
public final class StreamKeys {

    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private StreamKeys() {
    }

    /** A new secret: 256 random bits, base64url without padding (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The lower-case hex SHA-256 of the secret: what is stored and looked up. */
    public static String hash(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }

    /** Whether {@code secret} hashes to {@code storedHashHex}, in time independent of where they differ. */
    public static boolean matches(String secret, String storedHashHex) {
        if (secret == null || storedHashHex == null) {
            return false;
        }
        byte[] expected = HexFormat.of().formatHex(sha256(secret)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, storedHashHex.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
