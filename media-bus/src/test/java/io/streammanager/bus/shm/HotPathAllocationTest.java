package io.streammanager.bus.shm;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flyweights are reused: producing and consuming a frame or packet allocates nothing on the Java heap. */
class HotPathAllocationTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void publishingAndReadingFramesAllocatesNothingPerFrame() {
        FrameGeometry geometry = new FrameGeometry(16, 16, PixelFormat.I420, 30);
        Path file = RingFiles.frameRing(dir, "alloc");
        try (FrameRingWriter writer = FrameRingWriter.create(file, geometry, 4);
             FrameRingReader reader = FrameRingReader.open(file, Duration.ofSeconds(2))) {
            FrameView view = new FrameView();
            Runnable oneFrame = () -> {
                writer.claim().set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 1);
                writer.publish(1, 2);
                if (reader.poll(view) != FrameRingReader.FRAME || !reader.stillValid(view)
                        || reader.poll(view) != FrameRingReader.NOTHING) {
                    throw new AssertionError("frame not delivered");
                }
            };
            assertAllocatesNothing(oneFrame);
        }
    }

    @Test
    void appendingAndReadingPacketsAllocatesNothingPerPacket() {
        Path file = RingFiles.packetRing(dir, "alloc");
        MemorySegment payload = MemorySegment.ofArray(new byte[500]);
        byte[] copy = new byte[500];
        try (PacketRingWriter writer = PacketRingWriter.create(file, 1 << 16);
             PacketRingReader reader = PacketRingReader.open(file, Duration.ofSeconds(2))) {
            byte[] config = CodecConfig.video("h264", 16, 16, 30, 1, new byte[4]).encode();
            writer.append(Track.VIDEO, 0, PacketFlags.CODEC_CONFIG, 0, 0, 0, 0, config, 0, config.length);
            PacketView view = new PacketView();
            assertEquals(PacketRingReader.PACKET, reader.poll(view));
            Runnable onePacket = () -> {
                writer.append(Track.VIDEO, 0, PacketFlags.NONE, 1, 1, 1, 1, payload);
                if (reader.poll(view) != PacketRingReader.PACKET) {
                    throw new AssertionError("packet not delivered");
                }
                view.copyPayloadTo(copy, 0);
                if (!reader.stillValid(view) || reader.poll(view) != PacketRingReader.NOTHING) {
                    throw new AssertionError("packet not valid");
                }
            };
            assertAllocatesNothing(onePacket);
        }
    }

    private static void assertAllocatesNothing(Runnable operation) {
        for (int i = 0; i < 50_000; i++) {
            operation.run(); // warm up: let the JIT compile the path
        }
        int operations = 10_000;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < operations; i++) {
            operation.run();
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        // a few hundred bytes of noise (the measurement itself) are tolerated; one object per operation is not
        assertTrue(allocated < operations, "allocatedBytes=" + allocated + " operations=" + operations);
    }
}
