package io.streammanager.bus.shm;

import static io.streammanager.bus.shm.FrameRingDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class FrameRingDescriptorTest {

    @Test
    void headerFieldsFitTheHeaderPageAndAreNaturallyAligned() {
        int[] longFields = {MAGIC_OFFSET, PRODUCER_GENERATION_OFFSET, PRODUCER_PID_OFFSET, WRITE_SEQUENCE_OFFSET,
                GENERATION_START_SEQUENCE_OFFSET, PRODUCER_HEARTBEAT_MS_OFFSET, PRODUCER_START_EPOCH_MS_OFFSET};
        for (int offset : longFields) {
            assertEquals(0, offset % 8, "long field offset=" + offset);
            assertTrue(offset + 8 <= HEADER_LENGTH);
        }
        assertTrue(PLANE_HEIGHT_OFFSET + 4 * MAX_PLANES <= WRITE_SEQUENCE_OFFSET);
    }

    @Test
    void hotProducerFieldsLiveOnTheirOwnCacheLines() {
        int writeLine = WRITE_SEQUENCE_OFFSET / CACHE_LINE_LENGTH;
        int heartbeatLine = PRODUCER_HEARTBEAT_MS_OFFSET / CACHE_LINE_LENGTH;
        int identityLine = READY_OFFSET / CACHE_LINE_LENGTH;
        int geometryLine = WIDTH_OFFSET / CACHE_LINE_LENGTH;
        assertEquals(4, java.util.stream.IntStream.of(writeLine, heartbeatLine, identityLine, geometryLine)
                .distinct().count());
    }

    @Test
    void slotPixelsStartOnACacheLineForEveryGeometry() {
        for (int frameBytes : new int[] {1, 63, 64, 65, 640 * 360 * 3 / 2, 1920 * 1080 * 4}) {
            int slotLength = slotLength(frameBytes);
            assertEquals(0, slotLength % CACHE_LINE_LENGTH);
            assertTrue(slotLength >= SLOT_HEADER_LENGTH + frameBytes);
            for (int slot = 0; slot < 3; slot++) {
                assertEquals(0, (slotOffset(slot, slotLength) + SLOT_HEADER_LENGTH) % CACHE_LINE_LENGTH);
            }
        }
        assertEquals(HEADER_LENGTH + 3L * slotLength(100), fileLength(100, 3));
    }

    @Test
    void seqlockStampsAreOddWhileWritingAndEvenWhenComplete() {
        for (long sequence = 0; sequence < 5; sequence++) {
            assertEquals(1, writingStamp(sequence) % 2);
            assertEquals(0, completeStamp(sequence) % 2);
            assertTrue(completeStamp(sequence) < writingStamp(sequence + 1));
        }
        assertNotEquals(0, completeStamp(0), "a never-written slot (stamp 0) must not look complete");
    }

    @Test
    void checksNameTheOffendingValues() {
        IllegalStateException version = assertThrows(IllegalStateException.class, () -> checkVersion(7));
        assertTrue(version.getMessage().contains("layoutVersion=7"), version.getMessage());
        assertTrue(version.getMessage().contains("expected=" + LAYOUT_VERSION), version.getMessage());
        IllegalStateException capacity = assertThrows(IllegalStateException.class,
                () -> checkCapacity(HEADER_LENGTH + 100, 1000, 4, slotLength(1000)));
        assertTrue(capacity.getMessage().contains("fileLength=" + (HEADER_LENGTH + 100)), capacity.getMessage());
        assertTrue(capacity.getMessage().contains("required=" + fileLength(1000, 4)), capacity.getMessage());
        IllegalArgumentException slots = assertThrows(IllegalArgumentException.class, () -> checkSlotCount(1));
        assertTrue(slots.getMessage().contains("slotCount=1"), slots.getMessage());
    }

    @Test
    void magicSpellsTheRingKindInTheFile() {
        byte[] bytes = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(MAGIC).array();
        assertEquals("SMFRAMES", new String(bytes, java.nio.charset.StandardCharsets.US_ASCII));
    }
}
