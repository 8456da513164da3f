package io.streammanager.muxer.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammanager.bus.shm.CodecConfig;
import io.streammanager.muxer.testing.Await;
import io.streammanager.muxer.testing.RecordingListener;
import io.streammanager.muxer.testing.RecordingSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The output state machine with hand-written sinks: failures, retries, giving up. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OutputStateMachineTest {
    private static final CodecConfig CONFIG = CodecConfig.video("h264", 320, 240, 30, 0, new byte[] {1, 2, 3});
    private static final long FRAME_US = 33_333;
    private final PacketPool pool = new PacketPool(16);

    /** Offers packets 0..count-1 (GOP of 10) at 30 fps from a background thread. */
    private Thread feed(Output output, int count) {
        return Thread.ofPlatform().daemon(true).start(() -> {
            for (int i = 0; i < count && !Thread.currentThread().isInterrupted(); i++) {
                boolean key = i % 10 == 0;
                SharedPacket packet = pool.acquire(64, key, i * FRAME_US, i * FRAME_US, FRAME_US, 0,
                        key ? CONFIG : null);
                output.offer(packet);
                packet.release();
                try {
                    TimeUnit.MICROSECONDS.sleep(FRAME_US);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private static PacketSink.Factory failingFirst(int failures, List<RecordingSink.Written> log) {
        AtomicInteger opens = new AtomicInteger();
        PacketSink.Factory working = RecordingSink.factory(log, 0);
        return (target, config, abort) -> {
            if (opens.incrementAndGet() <= failures) {
                throw new SinkException(ErrorCategory.OUTPUT_CONNECTION, "refused (test)");
            }
            return working.open(target, config, abort);
        };
    }

    @Test
    void afterFailedConnectsTheOutputStartsAtAFreshKeyframeFromZero() throws Exception {
        RecordingListener listener = new RecordingListener();
        List<RecordingSink.Written> log = RecordingSink.newLog();
        Output output = new Output("s1", new OutputTarget("o", "rtmp://x.invalid/live/k", "flv", false),
                new OutputQueue(60, 1 << 20), failingFirst(3, log),
                new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(400), 0, () -> 1.0), listener);
        output.start();
        Thread feeder = feed(output, 90);
        try {
            assertTrue(Await.until(Duration.ofSeconds(10), () -> log.size() >= 10));
        } finally {
            output.requestStop();
            assertTrue(output.awaitStopped(Duration.ofSeconds(1)));
            feeder.interrupt();
            feeder.join(1_000);
        }
        RecordingSink.Written first = log.getFirst();
        assertTrue(first.keyframe());
        assertTrue(first.sourcePtsUs() >= 10 * FRAME_US, "not the keyframe held since before the backoff: "
                + first.sourcePtsUs());
        assertEquals(0, first.dtsUs(), "the connection's timeline starts at 0");
        assertEquals(List.of(1, 2, 3), listener.retriesOf("o").stream().map(RecordingListener.Retry::attempt).toList());
        assertEquals(List.of(OutputState.CONNECTING, OutputState.RETRYING, OutputState.CONNECTING,
                OutputState.RETRYING, OutputState.CONNECTING, OutputState.RETRYING, OutputState.CONNECTING,
                OutputState.LIVE, OutputState.STOPPED), listener.statesOf("o"));
    }

    @Test
    void aPlatformOutputGivesUpAfterRetryAttemptsAndReleasesItsQueue() throws Exception {
        RecordingListener listener = new RecordingListener();
        List<RecordingSink.Written> log = RecordingSink.newLog();
        Output output = new Output("s1", new OutputTarget("o", "rtmp://x.invalid/live/k", "flv", false),
                new OutputQueue(60, 1 << 20), failingFirst(Integer.MAX_VALUE, log),
                new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(40), 3, () -> 1.0), listener);
        output.start();
        Thread feeder = feed(output, 60);
        try {
            assertTrue(Await.until(Duration.ofSeconds(10), () -> output.state() == OutputState.FAILED));
            assertTrue(Await.until(Duration.ofSeconds(2), () -> !output.alive()));
        } finally {
            feeder.interrupt();
            feeder.join(1_000);
        }
        assertEquals(2, listener.retriesOf("o").size(), "retryAttempts=3: two retries, then FAILED");
        assertEquals(3, output.status().attempt());
        assertEquals("output_connection", output.status().lastErrorCategory());
        assertEquals(0, output.queueSize());
        assertTrue(log.isEmpty());
    }
}
