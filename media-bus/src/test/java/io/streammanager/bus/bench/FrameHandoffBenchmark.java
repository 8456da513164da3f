package io.streammanager.bus.bench;

import io.streammanager.bus.shm.FrameGeometry;
import io.streammanager.bus.shm.FrameRingReader;
import io.streammanager.bus.shm.FrameRingWriter;
import io.streammanager.bus.shm.FrameView;
import io.streammanager.bus.shm.PixelFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Not a test: moves 1920x1080 BGRA frames from a producer process to a reader process, (a) through the frame ring
 * and (b) over loopback TCP (the obvious alternative), and prints frames/s for both and their ratio.
 *
 * <p>Both producers "render" the same way (one store per cache line, derived from the frame's sequence); both
 * readers touch every frame the same way (one load per cache line, checked against that value). The ring reader
 * works in place and re-validates the slot afterwards; the TCP reader receives each frame whole into one reusable
 * direct buffer.
 *
 * <p>The ring producer never waits for readers (a live clock does not stop), so a benchmark that lets it run free
 * measures how many frames a reader loses, not how fast frames move. To compare like with like (TCP is lossless),
 * the benchmark reader reports its progress through a separate 64-byte mapped file and the benchmark producer holds
 * back when it would lap it: every frame is then written once, read once, and none is lost or torn.
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp ... io.streammanager.bus.bench.FrameHandoffBenchmark [frames]
 * </pre>
 */
public final class FrameHandoffBenchmark {

    static final int WIDTH = 1920;
    static final int HEIGHT = 1080;
    /** Spec run: the reader touches every cache line. Transport run: one line per 4 KiB page, so the copy cost shows. */
    static final int CACHE_LINE_STRIDE = 64;
    static final int PAGE_STRIDE = 4096;
    static final int WARMUP_FRAMES = 60;
    static final FrameGeometry GEOMETRY = new FrameGeometry(WIDTH, HEIGHT, PixelFormat.BGRA, 60);
    static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG;
    static final int SLOTS = 8;
    /** Benchmark-only progress file: the reader's count of consumed frames, at offset 0. */
    static final VarHandle CONSUMED = ValueLayout.JAVA_LONG.varHandle();

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("ring-producer")) {
            ringProducer(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Path.of(args[4]));
            return;
        }
        if (args.length > 0 && args[0].equals("tcp-producer")) {
            tcpProducer(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            return;
        }
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        System.out.printf("frame handoff, %dx%d BGRA (%.1f MB/frame), %d frames per run (first %d not timed),"
                        + " producer and reader in separate processes, %d CPUs, load average %.1f%n",
                WIDTH, HEIGHT, GEOMETRY.frameBytes() / 1e6, frames, WARMUP_FRAMES,
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (int stride : new int[] {CACHE_LINE_STRIDE, PAGE_STRIDE}) {
            System.out.println(stride == CACHE_LINE_STRIDE
                    ? "-- spec run: producer writes and reader checks 8 bytes of every 64-byte cache line"
                    : "-- transport run: producer writes and reader checks 8 bytes of every 4 KiB page");
            Result ring = runRing(frames, stride);
            System.out.println(ring);
            Result tcp = runTcp(frames, stride);
            System.out.println(tcp);
            System.out.printf("ratio ring/tcp = %.1fx (delivered frames/s)%n",
                    ring.framesPerSecond() / tcp.framesPerSecond());
        }
    }

    record Result(String name, int sent, long delivered, long lost, long torn, long elapsedNs, long badChecksums) {
        double framesPerSecond() {
            return delivered * 1e9 / elapsedNs;
        }

        @Override
        public String toString() {
            return String.format("%-4s: delivered=%d of %d lost=%d torn=%d bad=%d in %.0f ms -> %.0f frames/s (%.2f GB/s)",
                    name, delivered, sent, lost, torn, badChecksums, elapsedNs / 1e6, framesPerSecond(),
                    framesPerSecond() * GEOMETRY.frameBytes() / 1e9);
        }
    }

    /** The producer's "render": one sequence-derived store per cache line. */
    static void render(MemorySegment frame, long sequence, int stride) {
        long length = frame.byteSize();
        for (long offset = 0; offset < length; offset += stride) {
            frame.set(WORD, offset, sequence ^ offset);
        }
    }

    /** The reader's touch: one load per cache line; returns how many lines do not hold what the producer wrote. */
    static long touch(MemorySegment frame, long sequence, int stride) {
        long length = frame.byteSize();
        long bad = 0;
        for (long offset = 0; offset < length; offset += stride) {
            if (frame.get(WORD, offset) != (sequence ^ offset)) {
                bad++;
            }
        }
        return bad;
    }

    // ---- ring ----

    static Result runRing(int frames, int stride) throws Exception {
        Path root = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(root, "stream-manager-bench-");
        Path file = dir.resolve("frames.ring");
        Path progressFile = dir.resolve("progress");
        Process producer = null;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment progress = mapProgress(progressFile, arena);
            producer = startPeer("ring-producer", file.toString(), String.valueOf(frames), String.valueOf(stride),
                    progressFile.toString());
            return readRing(file, frames, stride, producer, progress);
        } finally {
            if (producer != null) {
                stopPeer(producer);
            }
            Files.deleteIfExists(file);
            Files.deleteIfExists(progressFile);
            Files.deleteIfExists(dir);
        }
    }

    static MemorySegment mapProgress(Path file, Arena arena) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, 64, arena);
        }
    }

    static Result readRing(Path file, int frames, int stride, Process producer, MemorySegment progress)
            throws IOException {
        try (FrameRingReader reader = FrameRingReader.open(file, Duration.ofSeconds(30))) {
            OutputStream stdin = producer.getOutputStream();
            stdin.write("go\n".getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            FrameView view = new FrameView();
            long delivered = 0;
            long lostBefore = 0;
            long tornBefore = 0;
            long bad = 0;
            long firstNs = 0;
            long lastNs = 0;
            long last = -1;
            while (last < frames - 1) {
                if (reader.await(view, TimeUnit.SECONDS.toNanos(10)) != FrameRingReader.FRAME) {
                    throw new IllegalStateException("ring producer stalled: last=" + last);
                }
                last = view.sequence();
                long badLines = touch(view.pixels(), view.sequence(), stride);
                if (!reader.stillValid(view)) {
                    continue;
                }
                bad += badLines;
                CONSUMED.setRelease(progress, 0L, view.sequence() + 1);
                long now = System.nanoTime();
                if (view.sequence() < WARMUP_FRAMES) {
                    firstNs = now;
                    lostBefore = reader.lostFrames();
                    tornBefore = reader.tornFrames();
                    continue;
                }
                lastNs = now;
                delivered++;
            }
            stdin.close();
            return new Result("ring", frames - WARMUP_FRAMES, delivered, reader.lostFrames() - lostBefore,
                    reader.tornFrames() - tornBefore, lastNs - firstNs, bad);
        }
    }

    static void ringProducer(Path file, int frames, int stride, Path progressFile) throws IOException {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        FrameRingWriter writer = FrameRingWriter.create(file, GEOMETRY, SLOTS);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment progress = mapProgress(progressFile, arena);
            if (!"go".equals(stdin.readLine())) {
                return;
            }
            for (int i = 0; i < frames; i++) {
                long sequence = writer.nextSequence();
                // benchmark only: hold back rather than lap the reader (claim marks a slot, keep one spare)
                int waits = 0;
                while (sequence - (long) CONSUMED.getAcquire(progress, 0L) >= SLOTS - 1) {
                    if (++waits < 100) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.parkNanos(20_000);
                    }
                }
                render(writer.claim(), sequence, stride);
                writer.publish(sequence * GEOMETRY.frameDurationUs(), System.currentTimeMillis() * 1000);
            }
            // keep the ring until the reader is done with it
            while (stdin.readLine() != null) {
                // drain
            }
        } finally {
            writer.closeAndDelete();
        }
    }

    // ---- tcp ----

    static Result runTcp(int frames, int stride) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            Process producer = startPeer("tcp-producer", String.valueOf(port), String.valueOf(frames),
                    String.valueOf(stride));
            try (SocketChannel channel = server.accept()) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(GEOMETRY.frameBytes()).order(ByteOrder.nativeOrder());
                MemorySegment frame = MemorySegment.ofBuffer(buffer);
                long bad = 0;
                long firstNs = 0;
                long lastNs = 0;
                for (int i = 0; i < frames; i++) {
                    buffer.clear();
                    while (buffer.hasRemaining()) {
                        if (channel.read(buffer) < 0) {
                            throw new IllegalStateException("tcp producer closed early: frame=" + i);
                        }
                    }
                    bad += touch(frame, i, stride);
                    long now = System.nanoTime();
                    if (i < WARMUP_FRAMES) {
                        firstNs = now;
                    }
                    lastNs = now;
                }
                return new Result("tcp", frames - WARMUP_FRAMES, frames - WARMUP_FRAMES, 0, 0, lastNs - firstNs, bad);
            } finally {
                stopPeer(producer);
            }
        }
    }

    static void tcpProducer(int port, int frames, int stride) throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            ByteBuffer buffer = ByteBuffer.allocateDirect(GEOMETRY.frameBytes()).order(ByteOrder.nativeOrder());
            MemorySegment frame = MemorySegment.ofBuffer(buffer);
            for (int i = 0; i < frames; i++) {
                render(frame, i, stride);
                buffer.clear();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        }
    }

    // ---- processes ----

    static Process startPeer(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xmx256m");
        command.add("-XX:MaxDirectMemorySize=64m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FrameHandoffBenchmark.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    static void stopPeer(Process process) throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // gone already
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
