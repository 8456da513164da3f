package io.streammanager.bus.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ThumbnailEntryTest {

    @Test
    void aMemberReadsBackAsTheEntryItWasWrittenFrom() {
        ThumbnailEntry entry = new ThumbnailEntry(1_700_000_000_123L, 640, 360, 41_234);
        assertEquals("1700000000123:640x360:41234", entry.member());
        assertEquals(entry, ThumbnailEntry.parse(entry.member()));
        assertEquals("sm:thumbnail:abc:1700000000123", RedisKeys.thumbnail("abc", entry.captureTimeMs()));
        assertEquals("sm:thumbnails:abc", RedisKeys.thumbnails("abc"));
    }

    @Test
    void anythingElseIsRefused() {
        for (String bad : new String[] {"", "1:640x360", "1:640:360:5", "x:640x360:5", "1:640x360:0", "1:-2x360:5"}) {
            assertThrows(IllegalArgumentException.class, () -> ThumbnailEntry.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> ThumbnailEntry.parse(null));
    }
}
