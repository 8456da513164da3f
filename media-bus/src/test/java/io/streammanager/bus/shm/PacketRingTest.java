package io.streammanager.bus.shm;

import static io.streammanager.bus.shm.PacketRingReader.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PacketRingTest {

    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(2);
    private static final CodecConfig H264 = CodecConfig.video("h264", 640, 360, 30, 1_000_000, new byte[] {1, 2, 3});

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    private Path ring() {
        return RingFiles.packetRing(dir, "stream-1");
    }

    /** Appends a packet whose payload and timestamps are derived from the writer's next sequence. */
    private static long appendPattern(PacketRingWriter writer, long sequenceHint, int flags, int payloadLength) {
        byte[] payload = Patterns.bytes(sequenceHint, payloadLength);
        return writer.append(Track.VIDEO, 0, flags, sequenceHint * 1000, sequenceHint * 1000 - 500, 1000,
                5_000_000 + sequenceHint, MemorySegment.ofArray(payload));
    }

    private static long appendConfig(PacketRingWriter writer) {
        byte[] config = H264.encode();
        return writer.append(Track.VIDEO, 0, PacketFlags.CODEC_CONFIG, 0, 0, 0, 0, config, 0, config.length);
    }

    /** Appends config + keyframe + deltas; returns the config's sequence. */
    private static long appendGop(PacketRingWriter writer, int deltas, int payloadLength) {
        long config = appendConfig(writer);
        appendPattern(writer, config + 1, PacketFlags.KEYFRAME, payloadLength);
        for (int i = 0; i < deltas; i++) {
            appendPattern(writer, config + 2 + i, PacketFlags.NONE, payloadLength);
        }
        return config;
    }

    private static void assertPatternPacket(PacketView view) {
        assertFalse(view.codecConfig());
        assertEquals(-1, Patterns.firstMismatch(view.payload(), view.sequence()), view.toString());
        assertEquals(view.sequence() * 1000, view.ptsUs());
        assertEquals(view.sequence() * 1000 - 500, view.dtsUs());
        assertEquals(5_000_000 + view.sequence(), view.captureEpochUs());
    }

    @Test
    void readerGetsEveryHeaderFieldAndThePayload() {
        try (PacketRingWriter writer = PacketRingWriter.create(ring(), 8192)) {
            appendConfig(writer);
            byte[] audio = {9, 8, 7};
            writer.append(Track.AUDIO, 2, PacketFlags.KEYFRAME, 111, 110, 21, 12345, audio, 0, audio.length);
            try (PacketRingReader reader = PacketRingReader.open(ring(), OPEN_TIMEOUT)) {
                PacketView view = new PacketView();
                assertEquals(PacketRingDescriptor.recordLength(H264.encodedLength())
                        + PacketRingDescriptor.recordLength(audio.length), reader.backlogBytes());
                assertEquals(PACKET, reader.poll(view));
                assertTrue(view.codecConfig());
                assertEquals(H264, CodecConfig.decode(view.payload()));
                assertTrue(reader.stillValid(view));

                assertEquals(PACKET, reader.poll(view));
                assertEquals(Track.AUDIO, view.track());
                assertEquals(2, view.rendition());
                assertTrue(view.keyframe());
                assertFalse(view.codecConfig());
                assertEquals(111, view.ptsUs());
                assertEquals(110, view.dtsUs());
                assertEquals(21, view.durationUs());
                assertEquals(12345, view.captureEpochUs());
                byte[] copy = new byte[5];
                view.copyPayloadTo(copy, 1);
                assertArrayEquals(new byte[] {0, 9, 8, 7, 0}, copy);
                assertTrue(reader.stillValid(view));
                assertEquals(NOTHING, reader.poll(view));
                assertEquals(0, reader.backlogBytes());
                assertEquals(0, reader.lostPackets());
            }
        }
    }

    @Test
    void newReaderStartsAtTheNewestCodecConfig() {
        try (PacketRingWriter writer = PacketRingWriter.create(ring(), 1 << 16)) {
            appendGop(writer, 3, 100);
            long newest = appendGop(writer, 3, 100);
            appendPattern(writer, newest + 5, PacketFlags.NONE, 100);
            try (PacketRingReader reader = PacketRingReader.open(ring(), OPEN_TIMEOUT)) {
                PacketView view = new PacketView();
                assertEquals(PACKET, reader.poll(view));
                assertTrue(view.codecConfig());
                assertEquals(newest, view.sequence());
                assertEquals(PACKET, reader.poll(view));
                assertTrue(view.keyframe());
                assertPatternPacket(view);
                int more = 0;
                while (reader.poll(view) == PACKET) {
                    assertPatternPacket(view);
                    more++;
                }
                assertEquals(4, more);
                assertEquals(0, reader.lostPackets(), "records before a new reader's start are not losses");
            }
        }
    }

    @Test
    void newReaderWithNoCodecConfigInTheRingWaitsForTheNextOne() {
        try (PacketRingWriter writer = PacketRingWriter.create(ring(), 8192)) {
            appendPattern(writer, 0, PacketFlags.KEYFRAME, 10);
            try (PacketRingReader reader = PacketRingReader.open(ring(), OPEN_TIMEOUT)) {
                PacketView view = new PacketView();
                appendPattern(writer, 1, PacketFlags.NONE, 10);
                assertEquals(NOTHING, reader.poll(view), "a delta without its config is of no use");
                long config = appendGop(writer, 1, 10);
                assertEquals(PACKET, reader.poll(view));
                assertEquals(config, view.sequence());
            }
        }
    }

    @Test
    void recordsWrapAroundTheDataAreaAndStayIntactForAReaderThatKeepsUp() {
        Random random = new Random(42);
        int capacity = 4096;
        try (PacketRingWriter writer = PacketRingWriter.create(ring(), capacity);
             PacketRingReader reader = PacketRingReader.open(ring(), OPEN_TIMEOUT)) {
            PacketView view = new PacketView();
            appendConfig(writer);
            assertEquals(PACKET, reader.poll(view));
            int paddings = 0;
            long expectedPosition = view.position() + PacketRingDescriptor.recordLength(view.payloadLength());
            for (int i = 1; i < 3000; i++) {
                int length = random.nextInt(writer.maxPayloadLength() / 2);
                appendPattern(writer, i, PacketFlags.NONE, length);
                assertEquals(PACKET, reader.poll(view));
                assertEquals(i, view.sequence());
                assertEquals(length, view.payloadLength());
                assertPatternPacket(view);
                assertTrue(reader.stillValid(view));
                if (view.position() != expectedPosition) {
                    paddings++;
                    assertEquals(0, view.position() % capacity, "a record skipped ahead only to the next lap");
                }
                expectedPosition = view.position() + PacketRingDescriptor.recordLength(length);
            }
            assertTrue(paddings > 100, "wrapped many times: paddings=" + paddings);
            assertEquals(0, reader.lostPackets());
        }
    }

    @Test
    void recordThatDoesNotFitBeforeTheEndGoesToTheNextLapBehindAPaddingRecordOrAnImplicitSkip() {
        int capacity = 8192;
        int header = PacketRingDescriptor.RECORD_HEADER_LENGTH;
        try (PacketRingWriter writer = PacketRingWriter.create(ring(), capacity);
             PacketRingReader reader = PacketRingReader.open(ring(), OPEN_TIMEOUT)) {
            PacketView view = new PacketView();
            // (two laps of an 8 KiB ring: read each record as it is appended, or it would be overwritten)
            long[] positions = new long[7];
            Runnable[] appends = {
                () -> appendConfig(writer),                                            // 0: [0, 128)
                () -> appendPattern(writer, 1, PacketFlags.KEYFRAME, 4096 - header),   // 1: [128, 4224)
                () -> appendPattern(writer, 2, PacketFlags.NONE, 3896 - header),       // 2: [4224, 8120), 72 B left
                () -> appendPattern(writer, 3, PacketFlags.NONE, 100),                 // 3: padding, then at 8192
                () -> appendPattern(writer, 4, PacketFlags.NONE, 4096 - header),       // 4: [8368, 12464)
                () -> appendPattern(writer, 5, PacketFlags.NONE, 3912 - header),       // 5: [12464, 16376), 8 B left
                () -> appendPattern(writer, 6, PacketFlags.NONE, 10),                  // 6: skips 8 B, at 16384
            };
            for (int i = 0; i < 7; i++) {
                appends[i].run();
                assertEquals(PACKET, reader.poll(view));
                assertEquals(i, view.sequence());
                if (i > 0) {
                    assertPatternPacket(view);
                }
                assertTrue(reader.stillValid(view));
                positions[i] = view.position();
            }
            assertEquals(8120, positions[2] + PacketRingDescriptor.recordLength(3896 - header));
            assertEquals(capacity, positions[3], "after a padding record");
            assertEquals(16376, positions[5] + PacketRingDescriptor.recordLength(3912 - header));
            assertEquals(2L * capacity, positions[6], "after an implicit skip of 8 bytes");
            assertEquals(NOTHING, reader.poll(view));
            assertEquals(0, reader.lostPackets());
        }
    }

    @Test
    void everyReaderGetsEveryPacket() {
        try (PacketRingWriter writer = PacketRingWriter.create(ring(), 1 << 16);
             PacketRingReader first = PacketRingReader.open(ring(), OPEN_TIMEOUT);
             PacketRingReader second = PacketRingReader.open(ring(), OPEN_TIMEOUT)) {
            long config = appendGop(writer, 10, 64);
            for (PacketRingReader reader : new PacketRingReader[] {first, second}) {
                PacketView view = new PacketView();
                for (long expected = config; expected < config + 12; expected++) {
                    assertEquals(PACKET, reader.poll(view));
                    assertEquals(expected, view.sequence());
                }
                assertEquals(NOTHING, reader.poll(view));
            }
        }
    }

    @Test
    void lappedReaderResyncsAtACodecConfigAndCountsLostPackets() {
        try (PacketRingWriter writer = PacketRingWriter.create(ring(), 4096)) {
            appendGop(writer, 2, 50);
            try (PacketRingReader reader = PacketRingReader.open(ring(), OPEN_TIMEOUT)) {
                PacketView view = new PacketView();
                assertEquals(PACKET, reader.poll(view));
                assertEquals(PACKET, reader.poll(view));
                assertEquals(1, view.sequence());
                long lastConfig = -1;
                for (int gop = 0; gop < 10; gop++) {
                    lastConfig = appendGop(writer, 5, 200); // 7 records of 272 B per GOP: the ring holds two
                }
                assertEquals(PACKET, reader.poll(view));
                assertTrue(view.codecConfig(), "resynchronised at a codec config");
                assertTrue(view.sequence() <= lastConfig && view.sequence() > 2, "sequence=" + view.sequence());
                assertEquals(view.sequence() - 2, reader.lostPackets(), "everything between was lost");
                long previous = view.sequence();
                while (reader.poll(view) == PACKET) {
                    assertEquals(previous + 1, view.sequence());
                    previous = view.sequence();
                    assertTrue(reader.stillValid(view));
                }
                assertEquals(writer.append(Track.VIDEO, 0, 0, 0, 0, 0, 0, MemorySegment.ofArray(new byte[0])) - 1,
                        previous);
            }
        }
    }

    @Test
    void recordOverwrittenWhileBeingCopiedIsRejectedAndTheReaderResyncs() {
        try (PacketRingWriter writer = PacketRingWriter.create(ring(), 4096)) {
            appendGop(writer, 1, 100);
            try (PacketRingReader reader = PacketRingReader.open(ring(), OPEN_TIMEOUT)) {
                PacketView view = new PacketView();
                assertEquals(PACKET, reader.poll(view));
                assertTrue(reader.stillValid(view));
                assertEquals(PACKET, reader.poll(view));
                long held = view.sequence();
                long lastConfig = -1;
                for (int gop = 0; gop < 6; gop++) {
                    lastConfig = appendGop(writer, 4, 300);
                }
                assertFalse(reader.stillValid(view));
                assertEquals(1, reader.lostPackets());
                assertEquals(PACKET, reader.poll(view));
                assertTrue(view.codecConfig());
                assertTrue(view.sequence() <= lastConfig);
                assertEquals(view.sequence() - held, reader.lostPackets());
            }
        }
    }

    @Test
    void producerRestartIsSeenAsANewGenerationStartingAtItsFirstCodecConfig() {
        PacketRingWriter first = PacketRingWriter.create(ring(), 8192);
        appendGop(first, 2, 40);
        try (PacketRingReader reader = PacketRingReader.open(ring(), OPEN_TIMEOUT)) {
            PacketView view = new PacketView();
            while (reader.poll(view) == PACKET) {
                assertTrue(reader.stillValid(view));
            }
            first.close();
            try (PacketRingWriter second = PacketRingWriter.create(ring(), 8192)) {
                assertEquals(2, second.generation());
                assertEquals(GENERATION_CHANGED, reader.poll(view));
                assertEquals(2, reader.generation());
                appendPattern(second, 99, PacketFlags.NONE, 40);
                assertEquals(NOTHING, reader.poll(view), "no config of the new generation yet");
                long config = appendGop(second, 1, 40);
                assertEquals(PACKET, reader.poll(view));
                assertEquals(config, view.sequence());
                assertTrue(view.codecConfig());
                assertEquals(0, reader.lostPackets(), "a restart is not counted as loss");
            }
        }
    }

    @Test
    void restartWithALargerCapacityIsPickedUpByTheReader() {
        PacketRingWriter first = PacketRingWriter.create(ring(), 4096);
        appendGop(first, 1, 10);
        try (PacketRingReader reader = PacketRingReader.open(ring(), OPEN_TIMEOUT)) {
            first.close();
            try (PacketRingWriter second = PacketRingWriter.create(ring(), 1 << 16)) {
                PacketView view = new PacketView();
                assertEquals(GENERATION_CHANGED, reader.poll(view));
                assertEquals(1 << 16, reader.capacity());
                long config = appendGop(second, 20, 1000);
                assertEquals(PACKET, reader.poll(view));
                assertEquals(config, view.sequence());
                for (int i = 0; i < 21; i++) {
                    assertEquals(PACKET, reader.poll(view));
                    assertPatternPacket(view);
                    assertTrue(reader.stillValid(view));
                }
            }
        }
    }

    @Test
    void producerThatDeletedItsFileAndStartedAgainIsFoundByTheReader() {
        PacketRingWriter first = PacketRingWriter.create(ring(), 8192);
        appendGop(first, 1, 10);
        try (PacketRingReader reader = PacketRingReader.open(ring(), OPEN_TIMEOUT)) {
            PacketView view = new PacketView();
            while (reader.poll(view) == PACKET) {
                assertTrue(reader.stillValid(view));
            }
            first.closeAndDelete();
            assertEquals(NOTHING, reader.poll(view));
            try (PacketRingWriter second = PacketRingWriter.create(ring(), 8192)) {
                assertEquals(1, second.generation(), "a new file starts over");
                assertEquals(GENERATION_CHANGED, reader.await(view, TimeUnit.SECONDS.toNanos(2)));
                long config = appendGop(second, 1, 10);
                assertEquals(PACKET, reader.await(view, TimeUnit.SECONDS.toNanos(2)));
                assertEquals(config, view.sequence());
            }
        }
    }

    @Test
    void readerPicksTheEarliestNewestConfigAcrossTracksAndRenditions() {
        try (PacketRingWriter writer = PacketRingWriter.create(ring(), 1 << 16)) {
            byte[] config = H264.encode();
            long video0 = writer.append(Track.VIDEO, 0, PacketFlags.CODEC_CONFIG, 0, 0, 0, 0, config, 0, config.length);
            writer.append(Track.VIDEO, 1, PacketFlags.CODEC_CONFIG, 0, 0, 0, 0, config, 0, config.length);
            writer.append(Track.AUDIO, 0, PacketFlags.CODEC_CONFIG, 0, 0, 0, 0, config, 0, config.length);
            try (PacketRingReader reader = PacketRingReader.open(ring(), OPEN_TIMEOUT)) {
                PacketView view = new PacketView();
                assertEquals(PACKET, reader.poll(view));
                assertEquals(video0, view.sequence(), "starting at the newest config overall would skip rendition 0");
            }
        }
    }

    @Test
    void packetTooLargeForTheRingIsRefusedWithBothNumbers() {
        try (PacketRingWriter writer = PacketRingWriter.create(ring(), 4096)) {
            int tooLarge = writer.maxPayloadLength() + 1;
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> appendPattern(writer, 0, 0, tooLarge));
            assertTrue(error.getMessage().contains("payloadLength=" + tooLarge), error.getMessage());
            assertTrue(error.getMessage().contains("maxPayloadLength=" + writer.maxPayloadLength()), error.getMessage());
            assertDoesNotThrow(() -> appendPattern(writer, 0, 0, writer.maxPayloadLength()));
        }
    }

    @Test
    void openingAPacketRingThatNeverAppearsTimesOut() {
        RingUnavailableException error = assertThrows(RingUnavailableException.class,
                () -> PacketRingReader.open(ring(), Duration.ofMillis(100)));
        assertTrue(error.getMessage().contains("file=" + ring()), error.getMessage());
        assertTrue(error.getMessage().contains("waitedMs="), error.getMessage());
    }

    @Test
    void twoThreadsExchangePacketsAndNoOverwrittenCopyIsEverAccepted() throws Exception {
        int packets = 20_000;
        try (PacketRingWriter writer = PacketRingWriter.create(ring(), 1 << 17); // holds ~3 GOPs
             PacketRingReader reader = PacketRingReader.open(ring(), OPEN_TIMEOUT)) {
            Thread producer = Thread.ofPlatform().start(() -> {
                Random random = new Random(7);
                for (int i = 0; i < packets; ) {
                    long next = writer.append(Track.VIDEO, 0, PacketFlags.CODEC_CONFIG, 0, 0, 0, 0,
                            H264.encode(), 0, H264.encodedLength());
                    i++;
                    for (int k = 0; k < 29 && i < packets; k++, i++) {
                        appendPattern(writer, next + 1 + k, k == 0 ? PacketFlags.KEYFRAME : 0,
                                random.nextInt(3000));
                    }
                    Thread.yield();
                }
            });
            PacketView view = new PacketView();
            byte[] copy = new byte[writer.maxPayloadLength()];
            long accepted = 0;
            long badAccepted = 0;
            long last = -1;
            while (last < packets - 1) {
                assertEquals(PACKET, reader.await(view, TimeUnit.SECONDS.toNanos(5)));
                assertTrue(view.sequence() > last);
                last = view.sequence();
                boolean config = view.codecConfig();
                int length = view.payloadLength();
                long sequence = view.sequence();
                view.copyPayloadTo(copy, 0);
                if (!reader.stillValid(view)) {
                    continue;
                }
                accepted++;
                MemorySegment copied = MemorySegment.ofArray(copy).asSlice(0, length);
                boolean ok = config ? CodecConfig.decode(copied).equals(H264)
                        : Patterns.firstMismatch(copied, sequence) == -1;
                if (!ok) {
                    badAccepted++;
                }
            }
            producer.join();
            assertEquals(0, badAccepted);
            assertTrue(accepted > 0);
            assertTrue(accepted + reader.lostPackets() <= packets);
        }
    }
}
