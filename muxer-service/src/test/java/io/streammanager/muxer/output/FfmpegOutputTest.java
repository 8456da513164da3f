package io.streammanager.muxer.output;

import io.streammanager.bus.testing.FreePorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammanager.muxer.testing.Await;
import io.streammanager.muxer.testing.FfmpegCli;
import io.streammanager.muxer.testing.RecordingListener;
import io.streammanager.muxer.testing.SyntheticH264;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real FFmpeg muxer behind an {@link Output}: RTMP push to an ffmpeg listener, and an FLV recording. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FfmpegOutputTest {
    private static SyntheticH264.Encoded encoded;

    @TempDir
    Path workDir;

    @BeforeAll
    static void encode() {
        encoded = SyntheticH264.encode(320, 240, 30, 120);
    }

    private static final RetryPolicy FAST_RETRY =
            new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(400), 0, () -> 1.0);

    private static PacketSink.Factory ffmpeg() {
        return FfmpegMuxer.factory(Duration.ofSeconds(3), Duration.ofSeconds(3));
    }

    /** Offers the encoded packets in order at 30 fps, as the distributor would, with a fresh capture time. */
    static void feed(Output output, SyntheticH264.Encoded encoded, int count, PacketPool pool) throws InterruptedException {
        long frameNs = TimeUnit.MICROSECONDS.toNanos(encoded.frameDurationUs());
        long startNs = System.nanoTime();
        for (int i = 0; i < count; i++) {
            SyntheticH264.EncodedPacket source = encoded.packets().get(i % encoded.packets().size());
            long loopUs = (long) (i / encoded.packets().size()) * encoded.packets().size() * encoded.frameDurationUs();
            SharedPacket packet = pool.acquire(source.data().length, source.keyframe(), source.ptsUs() + loopUs,
                    source.dtsUs() + loopUs, source.durationUs(), System.currentTimeMillis() * 1000,
                    source.keyframe() ? encoded.config() : null);
            packet.payload().copyFrom(java.lang.foreign.MemorySegment.ofArray(source.data()));
            output.offer(packet);
            packet.release();
            long sleepNs = startNs + (i + 1) * frameNs - System.nanoTime();
            if (sleepNs > 0) {
                TimeUnit.NANOSECONDS.sleep(sleepNs);
            }
        }
    }

    @Test
    void rtmpListenerReceivesDecodableFramesWithIncreasingTimestamps() throws Exception {
        int port = FreePorts.next();
        Path frames = workDir.resolve("rtmp.framemd5");
        RecordingListener listener = new RecordingListener();
        try (FfmpegCli.Listener server = FfmpegCli.decodeFrames(port, 60, frames)) {
            Output output = new Output("s1", new OutputTarget("gateway", "rtmp://127.0.0.1:" + port
                    + "/live/x?key=secret", "flv", true), new OutputQueue(120, 8 << 20), ffmpeg(), FAST_RETRY,
                    listener);
            output.start();
            try {
                feed(output, encoded, 120, new PacketPool(16));
                assertTrue(server.awaitExit(20, TimeUnit.SECONDS), "listener decoded 60 frames and exited: "
                        + output.status() + " " + Files.readString(frames.resolveSibling("rtmp.framemd5.log")));
            } finally {
                output.requestStop();
                assertTrue(output.awaitStopped(Duration.ofSeconds(1)), "output stopped within 1 s");
            }
        }
        FfmpegCli.FrameMd5 received = FfmpegCli.FrameMd5.parse(frames);
        assertEquals(60, received.count(), "decoded frames");
        assertTrue(received.ptsStrictlyIncreasing(), "pts strictly increasing");
        assertEquals(0, received.firstPts(), "a new connection starts at 0");
        assertTrue(listener.statesOf("gateway").contains(OutputState.LIVE), "went LIVE: " + listener.states);
        assertTrue(listener.latenciesUs.size() >= 60, "latency measured per gateway packet");
        assertTrue(listener.latenciesUs.stream().allMatch(l -> l >= 0 && l < 5_000_000), "latency plausible");
    }

    @Test
    void flvRecordingHoldsEveryPacketAndGetsItsTrailerOnStop() throws Exception {
        Path file = workDir.resolve("recording.flv");
        RecordingListener listener = new RecordingListener();
        Output output = new Output("s1", new OutputTarget("rec", file.toString(), "flv", false),
                new OutputQueue(120, 8 << 20), ffmpeg(), FAST_RETRY, listener);
        output.start();
        feed(output, encoded, 90, new PacketPool(16));
        assertTrue(Await.until(Duration.ofSeconds(5), () -> output.status().packetsWritten() == 90),
                "all packets written: " + output.status());
        output.requestStop();
        assertTrue(output.awaitStopped(Duration.ofSeconds(1)));
        assertEquals(OutputState.STOPPED, output.state());
        assertTrue(Files.size(file) > 0);

        FfmpegCli.FrameMd5 decoded = FfmpegCli.decodeFile(file, workDir);
        assertEquals(90, decoded.count(), "decoded frames");
        assertTrue(decoded.ptsStrictlyIncreasing());
        assertEquals(0, decoded.firstPts());
    }

    @Test
    void aPeerThatNeverAnswersTimesOutAndCannotDelayAStop() throws Exception {
        RecordingListener listener = new RecordingListener();
        java.util.List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // accepts, then never reads nor answers the handshake
                    }
                } catch (java.io.IOException closed) {
                    // test over
                }
            });
            Output output = new Output("s1", new OutputTarget("platform", "rtmp://127.0.0.1:" + silent.getLocalPort()
                    + "/live/streamkey", "flv", false), new OutputQueue(120, 8 << 20),
                    FfmpegMuxer.factory(Duration.ofMillis(700), Duration.ofMillis(700)),
                    new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(100), 0, () -> 1.0), listener);
            output.start();
            try {
                Thread feeder = Thread.ofPlatform().daemon(true).start(() -> {
                    try {
                        feed(output, encoded, 120, new PacketPool(16));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                assertTrue(Await.until(Duration.ofSeconds(10), () -> listener.retriesOf("platform").size() >= 2),
                        "the hung connect was cut by its deadline and retried: " + listener.states);
                assertTrue(listener.errors.stream().allMatch(e -> e.category() == ErrorCategory.OUTPUT_CONNECTION));
                assertTrue(Await.until(Duration.ofSeconds(3), () -> output.state() == OutputState.CONNECTING));
                long stopStartNs = System.nanoTime();
                output.requestStop(); // while blocked in the handshake with the silent peer
                assertTrue(output.awaitStopped(Duration.ofSeconds(1)), "stop cut the hung I/O");
                assertTrue(System.nanoTime() - stopStartNs < TimeUnit.SECONDS.toNanos(1));
                assertEquals(OutputState.STOPPED, output.state());
                feeder.interrupt();
                feeder.join(2_000);
            } finally {
                output.requestStop();
                output.awaitStopped(Duration.ofSeconds(1));
            }
            silent.close();
            acceptor.join(2_000);
        } finally {
            for (java.net.Socket socket : accepted) {
                socket.close();
            }
        }
    }
}
