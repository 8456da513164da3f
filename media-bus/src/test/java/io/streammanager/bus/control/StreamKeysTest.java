package io.streammanager.bus.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

class StreamKeysTest {

    @Test
    void generatedSecretsCarry256BitsAndDiffer() {
        String a = StreamKeys.generate();
        String b = StreamKeys.generate();
        assertEquals(43, a.length());
        assertNotEquals(a, b);
    }

    @Test
    void aSecretMatchesOnlyItsOwnHash() {
        String secret = StreamKeys.generate();
        String hash = StreamKeys.hash(secret);
        assertEquals(64, hash.length());
        assertTrue(StreamKeys.matches(secret, hash));
        assertFalse(StreamKeys.matches(secret + "x", hash));
        assertFalse(StreamKeys.matches(null, hash));
    }

    @Test
    void keyRecordAllowsOnlyItsScopeNameAndLifetime() {
        StreamKeyRecord record = new StreamKeyRecord("demo", Set.of(Scope.PUBLISH), "s1", 1_000L, false);
        assertTrue(record.allows(Scope.PUBLISH, "demo", 999L));
        assertFalse(record.allows(Scope.PUBLISH, "demo", 1_000L));
        assertFalse(record.allows(Scope.PLAY, "demo", 0L));
        assertFalse(record.allows(Scope.PUBLISH, "other", 0L));
        StreamKeyRecord revoked = new StreamKeyRecord("demo", Set.of(Scope.PUBLISH), "s1", 0L, true);
        assertFalse(revoked.allows(Scope.PUBLISH, "demo", 0L));
    }

    @Test
    void keyRecordSurvivesTheRoundTrip() {
        StreamKeyRecord record = new StreamKeyRecord("demo", Set.of(Scope.PUBLISH, Scope.PLAY), "s1", 0L, false);
        assertEquals(record, StreamKeyRecord.fromMap(record.toMap()));
    }
}
