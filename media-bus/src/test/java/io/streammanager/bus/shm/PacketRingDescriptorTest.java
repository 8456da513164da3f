package io.streammanager.bus.shm;

import static io.streammanager.bus.shm.PacketRingDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class PacketRingDescriptorTest {

    @Test
    void recordsAreEightByteAlignedAndHoldTheirHeader() {
        for (int payload : new int[] {0, 1, 7, 8, 9, 1000}) {
            int length = recordLength(payload);
            assertEquals(0, length % RECORD_ALIGNMENT);
            assertTrue(length >= RECORD_HEADER_LENGTH + payload);
            assertTrue(length < RECORD_HEADER_LENGTH + payload + RECORD_ALIGNMENT);
        }
        assertEquals(0, RECORD_HEADER_LENGTH % RECORD_ALIGNMENT);
        assertEquals(RECORD_HEADER_LENGTH, RECORD_CAPTURE_EPOCH_US_OFFSET + 8);
    }

    @Test
    void producerCountersShareOneCacheLineApartFromIdentityAndHeartbeat() {
        assertEquals(TAIL_INTENT_OFFSET / CACHE_LINE_LENGTH, TAIL_OFFSET / CACHE_LINE_LENGTH);
        assertEquals(TAIL_OFFSET / CACHE_LINE_LENGTH, NEWEST_CODEC_CONFIG_POSITION_OFFSET / CACHE_LINE_LENGTH);
        assertNotEquals(TAIL_OFFSET / CACHE_LINE_LENGTH, READY_OFFSET / CACHE_LINE_LENGTH);
        assertNotEquals(TAIL_OFFSET / CACHE_LINE_LENGTH, PRODUCER_HEARTBEAT_MS_OFFSET / CACHE_LINE_LENGTH);
        assertTrue(CODEC_CONFIG_TABLE_OFFSET + 8 * CODEC_CONFIG_TABLE_ENTRIES <= HEADER_LENGTH);
    }

    @Test
    void codecConfigTableHasOneEntryPerTrackAndRendition() {
        java.util.Set<Long> offsets = new java.util.HashSet<>();
        for (Track track : Track.values()) {
            for (int rendition = 0; rendition < CONFIG_TABLE_RENDITIONS; rendition++) {
                long offset = codecConfigEntryOffset(track.code(), rendition);
                assertTrue(offset >= CODEC_CONFIG_TABLE_OFFSET && offset < HEADER_LENGTH);
                assertTrue(offsets.add(offset));
            }
        }
        assertEquals(-1, codecConfigEntryOffset(Track.VIDEO.code(), CONFIG_TABLE_RENDITIONS));
    }

    @Test
    void dataOffsetWrapsAtTheCapacity() {
        assertEquals(HEADER_LENGTH, dataOffset(0, 4096));
        assertEquals(HEADER_LENGTH + 8, dataOffset(4096 + 8, 4096));
        assertEquals(HEADER_LENGTH + 4088, dataOffset(3L * 4096 + 4088, 4096));
    }

    @Test
    void capacityMustBeAPowerOfTwoAndChecksNameTheValues() {
        IllegalArgumentException notPowerOfTwo = assertThrows(IllegalArgumentException.class,
                () -> checkCapacity(5000));
        assertTrue(notPowerOfTwo.getMessage().contains("capacity=5000"), notPowerOfTwo.getMessage());
        IllegalStateException shortFile = assertThrows(IllegalStateException.class,
                () -> checkCapacity(HEADER_LENGTH + 10, 8192));
        assertTrue(shortFile.getMessage().contains("fileLength=" + (HEADER_LENGTH + 10)), shortFile.getMessage());
        assertTrue(shortFile.getMessage().contains("required=" + fileLength(8192)), shortFile.getMessage());
        IllegalStateException version = assertThrows(IllegalStateException.class, () -> checkVersion(2));
        assertTrue(version.getMessage().contains("layoutVersion=2 expected=1"), version.getMessage());
        assertDoesNotThrow(() -> checkCapacity(1 << 20));
    }
}
