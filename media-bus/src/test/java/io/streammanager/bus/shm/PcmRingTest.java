package io.streammanager.bus.shm;

import static io.streammanager.bus.shm.FrameRingReader.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcmRingTest {

    private static final PcmGeometry STEREO_48K_30FPS = PcmGeometry.forFrameRate(48_000, 2, 30);
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(2);
    private static final ValueLayout.OfShort SAMPLE = ValueLayout.JAVA_SHORT_UNALIGNED;

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    private Path ring() {
        return RingFiles.pcmRing(dir, "stream-1");
    }

    @Test
    void aSlotHoldsOneVideoFrameIntervalOfInterleavedSamples() {
        assertEquals(1600, STEREO_48K_30FPS.maxSamplesPerSlot());
        assertEquals(1600 * 4, STEREO_48K_30FPS.slotPayloadBytes());
        assertEquals(1656, PcmGeometry.forFrameRate(48_000, 2, 29).maxSamplesPerSlot(), "rounded up");
        assertEquals(33_333, STEREO_48K_30FPS.durationUs(1600));
    }

    @Test
    void readerGetsSamplesWithTheirCountPtsAndDuration() {
        try (FrameRingWriter writer = FrameRingWriter.create(ring(), STEREO_48K_30FPS, 8);
             FrameRingReader reader = FrameRingReader.open(ring(), OPEN_TIMEOUT)) {
            assertNull(reader.geometry());
            assertEquals(STEREO_48K_30FPS, reader.pcm());
            FrameView view = new FrameView();
            for (int slot = 0; slot < 3; slot++) {
                MemorySegment samples = writer.claim();
                int count = 1600 - slot; // a slot may carry fewer than its room
                for (int i = 0; i < count * 2; i++) {
                    samples.setAtIndex(SAMPLE, i, (short) (slot * 1000 + i % 1000));
                }
                assertEquals(slot, writer.publishSamples(slot * 33_333L, 5_000_000L + slot, count));
            }
            for (int slot = 0; slot < 3; slot++) {
                assertEquals(FRAME, reader.poll(view));
                assertEquals(1600 - slot, view.sampleCount());
                assertEquals(slot * 33_333L, view.ptsUs());
                assertEquals(5_000_000L + slot, view.captureEpochUs());
                assertEquals(STEREO_48K_30FPS.durationUs(1600 - slot), view.durationUs());
                for (int i = 0; i < view.sampleCount() * 2; i += 97) {
                    assertEquals((short) (slot * 1000 + i % 1000), view.pixels().getAtIndex(SAMPLE, i));
                }
                assertTrue(reader.stillValid(view));
            }
            assertEquals(NOTHING, reader.poll(view));
        }
    }

    @Test
    void headerDescribesTheSamplesForAnyReader() {
        try (FrameRingWriter writer = FrameRingWriter.create(ring(), STEREO_48K_30FPS, 4);
             MappedRingFile file = MappedRingFile.mapReadOnlyIfPresent(ring(), FrameRingDescriptor.HEADER_LENGTH)) {
            MemorySegment header = file.segment();
            assertEquals(FrameRingDescriptor.KIND_AUDIO_PCM, Ordered.getInt(header,
                    FrameRingDescriptor.MEDIA_KIND_OFFSET));
            assertEquals(48_000, Ordered.getInt(header, FrameRingDescriptor.SAMPLE_RATE_OFFSET));
            assertEquals(2, Ordered.getInt(header, FrameRingDescriptor.CHANNELS_OFFSET));
            assertEquals(PcmGeometry.SAMPLE_FORMAT_S16, Ordered.getInt(header,
                    FrameRingDescriptor.SAMPLE_FORMAT_OFFSET));
            assertEquals(STEREO_48K_30FPS.slotPayloadBytes(), Ordered.getInt(header,
                    FrameRingDescriptor.FRAME_BYTES_OFFSET));
            assertEquals(0, Ordered.getInt(header, FrameRingDescriptor.WIDTH_OFFSET));
            assertNull(writer.geometry());
        }
    }

    @Test
    void theWrongPublishForTheRingsKindIsRefused() {
        try (FrameRingWriter writer = FrameRingWriter.create(ring(), STEREO_48K_30FPS, 4)) {
            writer.claim();
            assertThrows(IllegalStateException.class, () -> writer.publish(0, 0));
            IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                    () -> writer.publishSamples(0, 0, 1601));
            assertTrue(tooMany.getMessage().contains("sampleCount=1601"), tooMany.getMessage());
        }
        Path frames = RingFiles.frameRing(dir, "stream-1");
        try (FrameRingWriter writer = FrameRingWriter.create(frames,
                new FrameGeometry(32, 16, PixelFormat.I420, 30), 4)) {
            writer.claim();
            assertThrows(IllegalStateException.class, () -> writer.publishSamples(0, 0, 10));
        }
    }

    @Test
    void aLappedReaderSkipsToTheNewestSlotAndCountsWhatItLost() {
        try (FrameRingWriter writer = FrameRingWriter.create(ring(), STEREO_48K_30FPS, 4);
             FrameRingReader reader = FrameRingReader.open(ring(), OPEN_TIMEOUT)) {
            FrameView view = new FrameView();
            for (int slot = 0; slot < 10; slot++) {
                writer.claim();
                writer.publishSamples(slot * 33_333L, 0, 1600);
            }
            assertEquals(FRAME, reader.poll(view));
            assertEquals(9, view.sequence());
            assertEquals(9, reader.lostFrames());
        }
    }

    @Test
    void geometryRejectsNonsenseWithTheValueNamed() {
        IllegalArgumentException rate = assertThrows(IllegalArgumentException.class,
                () -> new PcmGeometry(1000, 2, 100));
        assertTrue(rate.getMessage().contains("sampleRate=1000"), rate.getMessage());
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> new PcmGeometry(48_000, 0, 100));
        assertTrue(channels.getMessage().contains("channels=0"), channels.getMessage());
    }
}
