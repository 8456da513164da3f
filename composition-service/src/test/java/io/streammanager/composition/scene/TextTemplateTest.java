package io.streammanager.composition.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TextTemplateTest {

    @Test
    void placeholdersResolveToNameFrameAndUtcClock() {
        long epochUs = Instant.parse("2026-11-24T07:05:09.042Z").toEpochMilli() * 1000 + 999;
        StringBuilder out = new StringBuilder();
        TextTemplate.parse("{name} {clock} frame {frame} {other}")
                .resolve(new FrameContext("demo").set(1234, 0, epochUs), out);
        assertEquals("demo 07:05:09.042 frame 1234 {other}", out.toString());
    }

    @Test
    void onlyClockAndFrameMakeTextDynamic() {
        assertFalse(TextTemplate.parse("hello {name}").dynamic());
        assertTrue(TextTemplate.parse("{frame}").dynamic());
        assertTrue(TextTemplate.parse("at {clock}").dynamic());
    }
}
