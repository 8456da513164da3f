package io.streammanager.muxer.pipeline;

import io.streammanager.bus.testing.FreePorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammanager.bus.shm.RingFiles;
import io.streammanager.muxer.output.ErrorCategory;
import io.streammanager.muxer.output.FfmpegMuxer;
import io.streammanager.muxer.output.Output;
import io.streammanager.muxer.output.OutputQueue;
import io.streammanager.muxer.output.OutputState;
import io.streammanager.muxer.output.OutputTarget;
import io.streammanager.muxer.output.PacketPool;
import io.streammanager.muxer.output.RetryPolicy;
import io.streammanager.muxer.testing.Await;
import io.streammanager.muxer.testing.FfmpegCli;
import io.streammanager.muxer.testing.PacketRingFeeder;
import io.streammanager.muxer.testing.RecordingListener;
import io.streammanager.muxer.testing.RecordingSink;
import io.streammanager.muxer.testing.SyntheticH264;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A distributor on a real packet ring (fed with real libx264 packets at 30 fps) and outputs that misbehave. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StreamPipelineTest {
    private static SyntheticH264.Encoded encoded;

    @TempDir
    Path workDir;

    @BeforeAll
    static void encode() {
        encoded = SyntheticH264.encode(320, 240, 30, 90);
    }

    private static Output output(String id, String url, boolean gateway, OutputQueue queue,
                                 io.streammanager.muxer.output.PacketSink.Factory sinks, RetryPolicy retry,
                                 RecordingListener listener) {
        return new Output("s1", new OutputTarget(id, url, "flv", gateway), queue, sinks, retry, listener);
    }

    @Test
    void aRefusedOutputBacksOffWithGrowingDelaysWhileTheGoodOneDeliversEverything() throws Exception {
        int goodPort = FreePorts.next();
        int closedPort = FreePorts.next();
        Path frames = workDir.resolve("good.framemd5");
        RecordingListener listener = new RecordingListener();
        var ffmpeg = FfmpegMuxer.factory(Duration.ofSeconds(3), Duration.ofSeconds(3));
        RetryPolicy goodRetry = new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(200), 0, () -> 1.0);
        RetryPolicy badRetry = new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(800), 0, () -> 1.0);
        PacketPool pool = new PacketPool(32);

        try (PacketRingFeeder feeder = PacketRingFeeder.start("s1", encoded);
             FfmpegCli.Listener server = FfmpegCli.decodeFrames(goodPort, 90, frames)) {
            List<Output> outputs = List.of(
                    output("good", "rtmp://127.0.0.1:" + goodPort + "/live/x?key=k1", true,
                            new OutputQueue(60, 8 << 20), ffmpeg, goodRetry, listener),
                    output("bad", "rtmp://127.0.0.1:" + closedPort + "/live/y", false,
                            new OutputQueue(60, 8 << 20), ffmpeg, badRetry, listener));
            StreamPipeline pipeline = new StreamPipeline("s1", RingFiles.packetRing(feeder.shmRoot(), "s1"),
                    Duration.ofSeconds(5), outputs, pool);
            pipeline.start();
            try {
                assertTrue(server.awaitExit(30, TimeUnit.SECONDS), "good listener decoded 90 frames: "
                        + pipeline.outputStatuses());
                long distributedBefore = pipeline.packetsDistributed();
                // 10 more packets is a third of a second at 30 fps; allow a loaded machine ten times that
                assertTrue(Await.until(Duration.ofSeconds(3), () -> pipeline.packetsDistributed() >= distributedBefore + 10),
                        "the distributor keeps going while the refused output retries");
                assertTrue(pipeline.loopAgeNanos() < TimeUnit.MILLISECONDS.toNanos(500), "distributor loop fresh");
                // the good output can finish before the refused one's fifth retry (50+100+200+400 ms of delays and
                // the failed connects): let it keep retrying until then, bounded, instead of racing the good one
                Await.until(Duration.ofSeconds(15), () -> listener.retriesOf("bad").size() >= 5);
            } finally {
                pipeline.requestStop();
                assertTrue(pipeline.awaitStopped(Duration.ofSeconds(1)), "stopped within 1 s");
            }
        }

        FfmpegCli.FrameMd5 received = FfmpegCli.FrameMd5.parse(frames);
        assertEquals(90, received.count());
        assertTrue(received.ptsStrictlyIncreasing());

        List<RecordingListener.Retry> retries = listener.retriesOf("bad");
        assertTrue(retries.size() >= 5, "bad output kept retrying: " + retries);
        List<Long> delaysMs = retries.stream().map(r -> TimeUnit.NANOSECONDS.toMillis(r.delayNs())).toList();
        assertEquals(List.of(50L, 100L, 200L, 400L, 800L), delaysMs.subList(0, 5), "exponential, capped");
        for (int i = 0; i < retries.size(); i++) {
            assertEquals(i + 1, retries.get(i).attempt(), "attempts count up");
        }
        assertFalse(listener.statesOf("bad").contains(OutputState.LIVE));
        assertTrue(listener.statesOf("bad").contains(OutputState.RETRYING));
        assertTrue(listener.errors.stream().anyMatch(
                e -> e.output().equals("bad") && e.category() == ErrorCategory.OUTPUT_CONNECTION));
        assertEquals(OutputState.STOPPED, listener.statesOf("bad").getLast());
    }

    @Test
    void aSlowOutputDropsWholeGopsAndCountsItWhileTheOtherGetsEveryPacket() throws Exception {
        RecordingListener listener = new RecordingListener();
        List<RecordingSink.Written> slowLog = RecordingSink.newLog();
        List<RecordingSink.Written> fastLog = RecordingSink.newLog();
        RetryPolicy retry = new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(100), 0, () -> 1.0);
        Output slow = output("slow", "rtmp://slow.invalid/live/a", false, new OutputQueue(20, 8 << 20),
                RecordingSink.factory(slowLog, 100), retry, listener);
        Output fast = output("fast", "rtmp://fast.invalid/live/b", true, new OutputQueue(20, 8 << 20),
                RecordingSink.factory(fastLog, 0), retry, listener);

        long distributed;
        try (PacketRingFeeder feeder = PacketRingFeeder.start("s1", encoded)) {
            StreamPipeline pipeline = new StreamPipeline("s1", RingFiles.packetRing(feeder.shmRoot(), "s1"),
                    Duration.ofSeconds(5), List.of(slow, fast), new PacketPool(32));
            pipeline.start();
            try {
                assertTrue(Await.until(Duration.ofSeconds(20), () -> pipeline.packetsDistributed() >= 150));
            } finally {
                pipeline.requestStop();
                assertTrue(pipeline.awaitStopped(Duration.ofSeconds(1)), "stopped within 1 s");
            }
            distributed = pipeline.packetsDistributed();
        }

        assertTrue(slow.droppedPackets() > 0, "the slow output dropped");
        assertTrue(listener.errors.stream().anyMatch(
                e -> e.output().equals("slow") && e.category() == ErrorCategory.QUEUE_OVERFLOW));
        assertGopComplete(slowLog);
        assertTrue(slowLog.size() < distributed / 2, "the slow output wrote about a third: " + slowLog.size());

        assertEquals(0, fast.droppedPackets(), "the fast output lost nothing");
        assertGopComplete(fastLog);
        assertTrue(fastLog.size() >= distributed - 2, "fast wrote " + fastLog.size() + " of " + distributed);
        assertTrue(listener.errors.stream().noneMatch(e -> e.output().equals("fast")));
    }

    /** Starts with a keyframe, and every non-keyframe directly follows its predecessor (nothing referenced is missing). */
    private static void assertGopComplete(List<RecordingSink.Written> log) {
        assertFalse(log.isEmpty());
        assertTrue(log.getFirst().keyframe(), "starts at a keyframe");
        long frameUs = encoded.frameDurationUs();
        for (int i = 1; i < log.size(); i++) {
            RecordingSink.Written packet = log.get(i);
            if (!packet.keyframe()) {
                assertEquals(log.get(i - 1).sourcePtsUs() + frameUs, packet.sourcePtsUs(),
                        "P-frame " + i + " follows its predecessor");
            }
            assertTrue(packet.dtsUs() > log.get(i - 1).dtsUs(), "dts increases");
        }
    }

    @Test
    void anOutputAddedWhileRunningJoinsAtAKeyframeAndARemovedOneStops() throws Exception {
        RecordingListener listener = new RecordingListener();
        List<RecordingSink.Written> firstLog = RecordingSink.newLog();
        List<RecordingSink.Written> lateLog = RecordingSink.newLog();
        RetryPolicy retry = new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(100), 0, () -> 1.0);
        Output first = output("first", "rtmp://first.invalid/live/a", true, new OutputQueue(60, 8 << 20),
                RecordingSink.factory(firstLog, 0), retry, listener);
        Output late = output("late", "rtmp://late.invalid/live/b", false, new OutputQueue(60, 8 << 20),
                RecordingSink.factory(lateLog, 0), retry, listener);

        try (PacketRingFeeder feeder = PacketRingFeeder.start("s1", encoded)) {
            StreamPipeline pipeline = new StreamPipeline("s1", RingFiles.packetRing(feeder.shmRoot(), "s1"),
                    Duration.ofSeconds(5), List.of(first), new PacketPool(32));
            pipeline.start();
            try {
                assertTrue(Await.until(Duration.ofSeconds(10), () -> firstLog.size() >= 20));
                pipeline.addOutput(late);
                assertTrue(Await.until(Duration.ofSeconds(10), () -> lateLog.size() >= 40));
                assertEquals(OutputState.STOPPED, pipeline.removeOutput("first", Duration.ofSeconds(1)).state());
                int firstWritten = firstLog.size();
                assertTrue(Await.until(Duration.ofSeconds(10), () -> lateLog.size() >= 70),
                        "the late output keeps writing after the first is removed: " + lateLog.size());
                assertEquals(firstWritten, firstLog.size(), "a removed output writes nothing more");
                assertEquals(List.of("late"), pipeline.outputs().stream().map(Output::id).toList());
            } finally {
                pipeline.requestStop();
                assertTrue(pipeline.awaitStopped(Duration.ofSeconds(1)));
            }
        }
        assertGopComplete(lateLog);
        assertGopComplete(firstLog);
    }

    @Test
    void anEncoderRestartKeepsTheConnectionAndItsTimestampsIncreasing() throws Exception {
        RecordingListener listener = new RecordingListener();
        List<RecordingSink.Written> log = RecordingSink.newLog();
        java.util.concurrent.atomic.AtomicInteger opens = new java.util.concurrent.atomic.AtomicInteger();
        RetryPolicy retry = new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(100), 0, () -> 1.0);
        Output output = output("gateway", "rtmp://gw.invalid/live/a", true, new OutputQueue(60, 8 << 20),
                RecordingSink.factory(log, 0, opens), retry, listener);
        Path shmRoot = java.nio.file.Files.createTempDirectory(Path.of("/dev/shm"), "muxer-restart-test-");
        StreamPipeline pipeline = new StreamPipeline("s1", RingFiles.packetRing(shmRoot, "s1"),
                Duration.ofSeconds(5), List.of(output), new PacketPool(32));
        try {
            pipeline.start();
            try (PacketRingFeeder first = PacketRingFeeder.start(shmRoot, "s1", encoded)) {
                assertTrue(Await.until(Duration.ofSeconds(10), () -> log.size() >= 40));
            } // the encoder stops: its ring file is deleted
            int beforeRestart = log.size();
            try (PacketRingFeeder second = PacketRingFeeder.start(shmRoot, "s1", encoded)) { // its clock starts at 0
                assertTrue(Await.until(Duration.ofSeconds(10), () -> log.size() >= beforeRestart + 40),
                        "packets after the restart: " + (log.size() - beforeRestart));
            }
        } finally {
            pipeline.requestStop();
            assertTrue(pipeline.awaitStopped(Duration.ofSeconds(1)));
            java.nio.file.Files.deleteIfExists(shmRoot);
        }
        assertEquals(1, opens.get(), "one connection across the encoder restart");
        assertGopComplete(log); // includes: dts strictly increasing across the restart
    }
}
