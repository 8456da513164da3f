package io.streammanager.bus.auth;

import io.streammanager.bus.control.StreamKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * API token secrets: {@value #PREFIX} and 256 random bits (base64url), so a leaked one is recognisable in a secret
 * scan; stored only as their SHA-256; compared in constant time. Same generator and hash as the stream keys.
 */
public final class ApiTokenSecrets {

    static final String PREFIX = "smt_";
    private static final int HINT_LENGTH = PREFIX.length() + 4;

    private ApiTokenSecrets() {
    }

    public static String generate() {
        return PREFIX + StreamKeys.generate();
    }

    public static String hash(String secret) {
        return StreamKeys.hash(secret);
    }

    /** The first characters, shown in listings: the prefix and 24 of the 256 random bits. */
    public static String hint(String secret) {
        return secret.length() <= HINT_LENGTH ? "" : secret.substring(0, HINT_LENGTH) + "...";
    }

    /** Whether the two hex hashes are equal, in time independent of where they differ. */
    static boolean sameHash(String aHex, String bHex) {
        if (aHex == null || bHex == null) {
            return false;
        }
        return MessageDigest.isEqual(aHex.getBytes(StandardCharsets.US_ASCII), bHex.getBytes(StandardCharsets.US_ASCII));
    }
}
