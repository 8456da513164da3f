package io.streammanager.gateway.relay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StreamNamesTest {

    @Test
    void acceptsPlainNamesAndRefusesPathsEmptyAndOverlongOnes() {
        assertTrue(StreamNames.valid("cam-1_main.v2"));
        assertFalse(StreamNames.valid(""));
        assertFalse(StreamNames.valid(null));
        assertFalse(StreamNames.valid(".."));
        assertFalse(StreamNames.valid("a/b"));
        assertFalse(StreamNames.valid("a b"));
        assertFalse(StreamNames.valid("x".repeat(129)));
    }
}
