package io.streammanager.composition.stream;

import java.security.SecureRandom;

/**
 * Short random stream ids: 12 characters of [a-z0-9] (about 62 bits). Url-safe, usable as a directory name
 * under the shm root and as a Redis key part, and too many to guess or collide in practice.
 */
public final class StreamIds {

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private StreamIds() {
    }

    public static String next() {
        char[] id = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }
}
