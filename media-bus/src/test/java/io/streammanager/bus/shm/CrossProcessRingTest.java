package io.streammanager.bus.shm;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rings between two real JVM processes: memory ordering across processes, not just threads. */
class CrossProcessRingTest {

    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);
    private static final long AWAIT_NS = TimeUnit.SECONDS.toNanos(10);

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void threeThousandI420FramesCrossProcessesWithNoTornFrameAcceptedAsValid() throws Exception {
        int frames = 3000;
        Path file = RingFiles.frameRing(dir, "cross-frames");
        try (PeerProcess producer = PeerProcess.start(dir, "frames", file.toString(), String.valueOf(frames),
                "640", "360", "300");
             FrameRingReader reader = FrameRingReader.open(file, OPEN_TIMEOUT)) {
            assertEquals(producer.pid(), reader.producerPid());
            assertEquals(new FrameGeometry(640, 360, PixelFormat.I420, 30), reader.geometry());
            producer.go();
            FrameView view = new FrameView();
            long valid = 0;
            long badAccepted = 0;
            long last = -1;
            while (last < frames - 1) {
                int result = reader.await(view, AWAIT_NS);
                assertEquals(FrameRingReader.FRAME, result, () -> "peer output: " + producer.output());
                assertTrue(view.sequence() > last, "in order");
                last = view.sequence();
                long sequence = view.sequence();
                long pts = view.ptsUs();
                long mismatch = Patterns.firstMismatch(view.pixels(), sequence);
                if (reader.stillValid(view)) {
                    valid++;
                    if (mismatch != -1 || pts != sequence * 33_333) {
                        badAccepted++;
                    }
                }
            }
            System.out.printf("cross-process frames: valid=%d torn=%d lost=%d%n", valid, reader.tornFrames(),
                    reader.lostFrames());
            assertEquals(0, badAccepted, "torn frames accepted as valid");
            assertEquals(frames, valid + reader.tornFrames() + reader.lostFrames());
            assertTrue(valid >= frames / 10, "valid=" + valid);
            assertTrue(reader.producerHeartbeatAgeMs() < 5_000);
        }
        assertFalse(Files.exists(file), "the producer deletes its ring when it stops");
    }

    @Test
    void packetsCrossProcessesIntactWithCodecConfigsDecodable() throws Exception {
        int packets = 3000;
        Path file = RingFiles.packetRing(dir, "cross-packets");
        try (PeerProcess producer = PeerProcess.start(dir, "packets", file.toString(), String.valueOf(packets),
                String.valueOf(1 << 20), "200");
             PacketRingReader reader = PacketRingReader.open(file, OPEN_TIMEOUT)) {
            producer.go();
            PacketView view = new PacketView();
            byte[] copy = new byte[(1 << 20) / 2];
            long valid = 0;
            long configs = 0;
            long badAccepted = 0;
            long last = -1;
            while (last < packets - 1) {
                int result = reader.await(view, AWAIT_NS);
                assertEquals(PacketRingReader.PACKET, result, () -> "peer output: " + producer.output());
                assertTrue(view.sequence() > last, "in order");
                last = view.sequence();
                long sequence = view.sequence();
                boolean config = view.codecConfig();
                int length = view.payloadLength();
                long pts = view.ptsUs();
                view.copyPayloadTo(copy, 0);
                if (!reader.stillValid(view)) {
                    continue;
                }
                valid++;
                MemorySegment copied = MemorySegment.ofArray(copy).asSlice(0, length);
                if (config) {
                    configs++;
                    if (!CodecConfig.decode(copied).equals(RingPeerMain.CONFIG)) {
                        badAccepted++;
                    }
                } else if (Patterns.firstMismatch(copied, sequence) != -1 || pts != sequence * 1000) {
                    badAccepted++;
                }
            }
            System.out.printf("cross-process packets: valid=%d configs=%d lost=%d%n", valid, configs,
                    reader.lostPackets());
            assertEquals(0, badAccepted, "overwritten packets accepted as valid");
            assertTrue(configs >= 1);
            assertTrue(valid + reader.lostPackets() <= packets);
            assertTrue(valid >= packets / 10, "valid=" + valid);
        }
        assertFalse(Files.exists(file));
    }

    @Test
    void producerProcessCrashAndRestartIsSeenAsANewGeneration() throws Exception {
        Path file = RingFiles.frameRing(dir, "crash");
        PeerProcess first = PeerProcess.start(dir, "frames", file.toString(), "0", "64", "32", "2000");
        try (first; FrameRingReader reader = FrameRingReader.open(file, OPEN_TIMEOUT)) {
            first.go();
            FrameView view = new FrameView();
            for (int i = 0; i < 5; i++) {
                assertEquals(FrameRingReader.FRAME, reader.await(view, AWAIT_NS), first::output);
            }
            assertEquals(1, reader.generation());
            first.crash();
            assertTrue(Files.exists(file), "a crashed producer leaves its ring");

            try (PeerProcess second = PeerProcess.start(dir, "frames", file.toString(), "0", "64", "32", "2000")) {
                int result;
                do {
                    result = reader.await(view, AWAIT_NS);
                } while (result == FrameRingReader.FRAME); // frames the first producer published before dying
                assertEquals(FrameRingReader.GENERATION_CHANGED, result, second::output);
                assertEquals(2, reader.generation());
                assertEquals(second.pid(), reader.producerPid());
                second.go();
                for (int i = 0; i < 5; i++) {
                    assertEquals(FrameRingReader.FRAME, reader.await(view, AWAIT_NS), second::output);
                    assertEquals(-1, Patterns.firstMismatch(view.pixels(), view.sequence()));
                    assertTrue(reader.stillValid(view));
                }
            }
        }
        assertFalse(Files.exists(file));
    }
}
