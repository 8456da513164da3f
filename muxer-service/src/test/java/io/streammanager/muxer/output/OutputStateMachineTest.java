package io.streammanager.muxer.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    private static final OutputTarget PLATFORM = new OutputTarget("o", "rtmp://x.invalid/live/k", "flv", false);

    private Output output(PacketSink.Factory factory, RetryPolicy policy, RecordingListener listener,
                          Duration stallTimeout) {
        return new Output("s1", PLATFORM, new OutputQueue(60, 1 << 20), factory, policy, listener, stallTimeout);
    }

    @Test
    void aRefusedPublishIsFailedAtOnceWhateverThePolicy() throws Exception {
        RecordingListener listener = new RecordingListener();
        AtomicInteger opens = new AtomicInteger();
        Output output = output((target, start, abort) -> {
            opens.incrementAndGet();
            throw new SinkException(ErrorCategory.OUTPUT_REFUSED, "refused (test)");
        }, new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(20), 0, () -> 1.0), listener,
                Duration.ofSeconds(10));
        output.start();
        Thread feeder = feed(output, 60);
        try {
            assertTrue(Await.until(Duration.ofSeconds(5), () -> output.state() == OutputState.FAILED));
            Thread.sleep(200);
        } finally {
            feeder.interrupt();
            feeder.join(1_000);
        }
        assertEquals(1, opens.get(), "no retry after a refusal");
        assertTrue(listener.retriesOf("o").isEmpty());
        assertEquals("output_refused", output.status().lastErrorCategory());
        assertEquals("refused (test)", output.status().lastError());
        assertFalse(output.requestRestart(), "a FAILED output is replaced, not restarted");
    }

    @Test
    void aRefusalRightAfterOurOwnSessionIsRetried() throws Exception {
        RecordingListener listener = new RecordingListener();
        AtomicInteger opens = new AtomicInteger();
        List<RecordingSink.Written> log = RecordingSink.newLog();
        PacketSink.Factory working = RecordingSink.factory(log, 0);
        // open 1 works and then breaks; opens 2 and 3 are refused (the platform still holds session 1); 4 works
        Output output = output((target, start, abort) -> {
            int open = opens.incrementAndGet();
            if (open == 2 || open == 3) {
                throw new SinkException(ErrorCategory.OUTPUT_REFUSED, "Already publishing (test)");
            }
            PacketSink sink = working.open(target, start, abort);
            return open != 1 ? sink : new PacketSink() {
                private int writes;

                @Override
                public void write(SharedPacket packet, long ptsUs, long dtsUs) throws SinkException {
                    if (++writes > 5) {
                        throw new SinkException(ErrorCategory.OUTPUT_CONNECTION, "reset (test)");
                    }
                    sink.write(packet, ptsUs, dtsUs);
                }

                @Override
                public void finish() {
                }

                @Override
                public void close() {
                }
            };
        }, new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(20), 0, () -> 1.0), listener,
                Duration.ofSeconds(10));
        output.start();
        Thread feeder = feed(output, 150);
        try {
            assertTrue(Await.until(Duration.ofSeconds(10), () -> opens.get() >= 4
                    && output.state() == OutputState.LIVE), output.status() + " " + listener.states);
        } finally {
            output.requestStop();
            assertTrue(output.awaitStopped(Duration.ofSeconds(1)));
            feeder.interrupt();
            feeder.join(1_000);
        }
        assertFalse(listener.statesOf("o").contains(OutputState.FAILED), listener.states.toString());
    }

    /** A sink whose peer acknowledges only what the test lets it: delivery = (acked, written - acked). */
    private static final class AckingSink implements PacketSink {
        final java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong acked = new java.util.concurrent.atomic.AtomicLong();
        volatile boolean peerReceives;

        @Override
        public void write(SharedPacket packet, long ptsUs, long dtsUs) {
            written.addAndGet(packet.size());
        }

        @Override
        public io.streammanager.muxer.delivery.TcpDelivery.Snapshot delivery() {
            if (peerReceives) {
                acked.set(written.get());
            }
            return new io.streammanager.muxer.delivery.TcpDelivery.Snapshot(acked.get(),
                    written.get() - acked.get());
        }

        @Override
        public void finish() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void anOutputIsLiveOnlyOnceThePeerAcknowledgedAndAStallReconnects() throws Exception {
        RecordingListener listener = new RecordingListener();
        List<AckingSink> sinks = new java.util.concurrent.CopyOnWriteArrayList<>();
        Output output = output((target, start, abort) -> {
            AckingSink sink = new AckingSink();
            sinks.add(sink);
            return sink;
        }, new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(20), 0, () -> 1.0), listener,
                Duration.ofMillis(400));
        output.start();
        Thread feeder = feed(output, 300);
        try {
            assertTrue(Await.until(Duration.ofSeconds(3), () -> !sinks.isEmpty()
                    && sinks.getFirst().written.get() > 0));
            Thread.sleep(200);
            assertEquals(OutputState.CONNECTING, output.state(), "written but not acknowledged: not LIVE");
            sinks.getFirst().peerReceives = true;
            assertTrue(Await.until(Duration.ofSeconds(2), () -> output.state() == OutputState.LIVE));
            assertTrue(output.status().bytesAcknowledged() > 0);
            long stallNs = System.nanoTime();
            sinks.getFirst().peerReceives = false; // the peer stops acknowledging while we keep writing
            assertTrue(Await.until(Duration.ofSeconds(3), () -> sinks.size() == 2), "reconnected after the stall");
            long detectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stallNs);
            assertTrue(detectedMs >= 350 && detectedMs < 1500, "stall detected after " + detectedMs + " ms");
            assertTrue(output.status().lastError().startsWith("stalled"), output.status().lastError());
            sinks.get(1).peerReceives = true;
            assertTrue(Await.until(Duration.ofSeconds(3), () -> output.state() == OutputState.LIVE));
        } finally {
            output.requestStop();
            assertTrue(output.awaitStopped(Duration.ofSeconds(1)));
            feeder.interrupt();
            feeder.join(1_000);
        }
        assertEquals(List.of(OutputState.CONNECTING, OutputState.LIVE, OutputState.RETRYING, OutputState.CONNECTING,
                OutputState.LIVE, OutputState.STOPPED), listener.statesOf("o"));
    }

    @Test
    void restartCutsALongBackoffShortAndANewPolicyAppliesToTheNextFailure() throws Exception {
        RecordingListener listener = new RecordingListener();
        AtomicInteger opens = new AtomicInteger();
        Output output = output((target, start, abort) -> {
            opens.incrementAndGet();
            throw new SinkException(ErrorCategory.OUTPUT_CONNECTION, "refused (test)");
        }, new RetryPolicy(Duration.ofSeconds(30), Duration.ofSeconds(60), 0, () -> 1.0), listener,
                Duration.ofSeconds(10));
        output.start();
        Thread feeder = feed(output, 300);
        try {
            assertTrue(Await.until(Duration.ofSeconds(3), () -> output.state() == OutputState.RETRYING));
            assertEquals(1, opens.get());
            output.updateRetryPolicy(new RetryPolicy(Duration.ofSeconds(30), Duration.ofSeconds(60), 1, () -> 1.0));
            assertTrue(output.requestRestart());
            // the restart skips the 30 s wait; the new policy (1 attempt) then gives up after that attempt
            assertTrue(Await.until(Duration.ofSeconds(3), () -> output.state() == OutputState.FAILED),
                    output.status().toString());
            assertEquals(2, opens.get());
            assertEquals(1, output.status().attempt(), "attempts were reset by the restart");
        } finally {
            feeder.interrupt();
            feeder.join(1_000);
        }
    }
}
