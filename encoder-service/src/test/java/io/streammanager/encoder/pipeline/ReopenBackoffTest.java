package io.streammanager.encoder.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ReopenBackoffTest {

    @Test
    void waitsDoubleUpToTheCapAndHardwareIsGivenUpAfterThreeFailuresInARow() {
        ReopenBackoff backoff = new ReopenBackoff();
        List<Long> waitsMs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            waitsMs.add(backoff.failed(0) / 1_000_000);
            assertEquals(i + 1 >= ReopenBackoff.HARDWARE_FAILURES, backoff.giveUpHardware(), "after " + (i + 1));
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L), waitsMs);
        assertFalse(backoff.due(4_999_999_999L));
        assertTrue(backoff.due(5_000_000_000L));
        backoff.succeeded();
        assertEquals(100, backoff.failed(0) / 1_000_000, "a working encoder starts the count over");
        assertFalse(backoff.giveUpHardware());
    }
}
