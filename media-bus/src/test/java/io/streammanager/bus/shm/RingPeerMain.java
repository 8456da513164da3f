package io.streammanager.bus.shm;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * The other process of the cross-process tests: a producer of a frame or packet ring. It creates the ring, waits for
 * a "go" line on stdin, produces {@code count} items whose content derives from their sequence, then keeps the ring
 * until stdin closes and deletes it. {@code count} 0 means "until stdin closes" (for crash tests).
 *
 * <pre>
 *   frames  FILE COUNT WIDTH HEIGHT INTERVAL_US
 *   packets FILE COUNT CAPACITY INTERVAL_US
 * </pre>
 */
public final class RingPeerMain {

    static final int GOP = 30;
    static final CodecConfig CONFIG = CodecConfig.video("h264", 640, 360, 30, 1_000_000,
            new byte[] {1, 0x64, 0, 0x1f, (byte) 0xff, (byte) 0xe1});

    public static void main(String[] args) throws Exception {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        Path file = Path.of(args[1]);
        long count = Long.parseLong(args[2]);
        switch (args[0]) {
            case "frames" -> frames(stdin, file, count, Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Long.parseLong(args[5]));
            case "packets" -> packets(stdin, file, count, Integer.parseInt(args[3]), Long.parseLong(args[4]));
            default -> throw new IllegalArgumentException("unknown mode: mode=" + args[0]);
        }
    }

    private static void frames(BufferedReader stdin, Path file, long count, int width, int height, long intervalUs)
            throws Exception {
        FrameGeometry geometry = new FrameGeometry(width, height, PixelFormat.I420, 30);
        FrameRingWriter writer = FrameRingWriter.create(file, geometry, 8);
        System.out.println("READY generation=" + writer.generation());
        System.out.flush();
        if (!"go".equals(stdin.readLine())) {
            writer.closeAndDelete();
            return;
        }
        Thread stdinWatcher = watchStdin(stdin);
        for (long i = 0; (count == 0 || i < count) && stdinWatcher.isAlive(); i++) {
            long sequence = writer.nextSequence();
            Patterns.fill(writer.claim(), sequence);
            writer.publish(sequence * geometry.frameDurationUs(), System.currentTimeMillis() * 1000);
            LockSupport.parkNanos(intervalUs * 1000);
        }
        System.out.println("DONE next=" + writer.nextSequence());
        System.out.flush();
        stdinWatcher.join();
        writer.closeAndDelete();
    }

    private static void packets(BufferedReader stdin, Path file, long count, int capacity, long intervalUs)
            throws Exception {
        PacketRingWriter writer = PacketRingWriter.create(file, capacity);
        System.out.println("READY generation=" + writer.generation());
        System.out.flush();
        if (!"go".equals(stdin.readLine())) {
            writer.closeAndDelete();
            return;
        }
        Thread stdinWatcher = watchStdin(stdin);
        Random random = new Random(11);
        byte[] config = CONFIG.encode();
        byte[] buffer = new byte[capacity / 8];
        MemorySegment bufferSegment = MemorySegment.ofArray(buffer);
        for (long i = 0; (count == 0 || i < count) && stdinWatcher.isAlive(); i++) {
            if (i % GOP == 0) {
                writer.append(Track.VIDEO, 0, PacketFlags.CODEC_CONFIG, 0, 0, 0, 0, config, 0, config.length);
                continue;
            }
            int length = random.nextInt(buffer.length);
            // the sequence this record will get is the count of records appended so far in this generation
            long sequence = i;
            MemorySegment payload = bufferSegment.asSlice(0, length);
            Patterns.fill(payload, sequence);
            writer.append(Track.VIDEO, 0, i % GOP == 1 ? PacketFlags.KEYFRAME : 0, sequence * 1000,
                    sequence * 1000, 1000, System.currentTimeMillis() * 1000, payload);
            LockSupport.parkNanos(intervalUs * 1000);
        }
        System.out.println("DONE");
        System.out.flush();
        stdinWatcher.join();
        writer.closeAndDelete();
    }

    /** A thread that ends when stdin closes (the test's way of saying "stop"). */
    private static Thread watchStdin(BufferedReader stdin) {
        return Thread.ofPlatform().daemon().start(() -> {
            try {
                while (stdin.readLine() != null) {
                    // drain
                }
            } catch (java.io.IOException e) {
                // closed
            }
        });
    }
}
