package io.streammanager.muxer.output;

import io.streammanager.bus.testing.FreePorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammanager.muxer.testing.Await;
import io.streammanager.muxer.testing.FfmpegCli;
import io.streammanager.muxer.testing.LiveFeed;
import io.streammanager.bus.testing.NginxRtmp;
import io.streammanager.bus.testing.RtmpNotifyEndpoint;
import io.streammanager.muxer.testing.RecordingListener;
import io.streammanager.muxer.testing.StallingProxy;
import io.streammanager.muxer.testing.SyntheticH264;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Outputs against real peers: nothing listening, Debian's nginx-rtmp (accepting, or refusing through on_publish),
 * and a stalling proxy. The timelines measured here are logged (logger {@code OutputReliabilityTest}).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OutputReliabilityTest {
    private static final Logger LOG = Logger.getLogger(OutputReliabilityTest.class);
    /** SyntheticH264's GOP: 30 frames at 30 fps. */
    private static final long GOP_NS = TimeUnit.SECONDS.toNanos(1);
    private static SyntheticH264.Encoded encoded;
    private Path workDir;

    @BeforeAll
    static void encode() {
        encoded = SyntheticH264.encode(320, 240, 30, 60);
    }

    @BeforeEach
    void requireNginx() throws Exception {
        assertTrue(NginxRtmp.available(), "Debian's nginx with libnginx-mod-rtmp is installed (build/install-test-tools.sh)");
        workDir = Files.createDirectories(Path.of("target", "reliability", Long.toString(System.nanoTime())));
    }

    private static PacketSink.Factory ffmpeg() {
        return FfmpegMuxer.factory(Duration.ofSeconds(3), Duration.ofSeconds(3));
    }

    private static Output output(String id, String url, RetryPolicy policy, RecordingListener listener,
                                 Duration stallTimeout) {
        return new Output("s1", new OutputTarget(id, url, "flv", false), new OutputQueue(180, 16 << 20), ffmpeg(),
                policy, listener, stallTimeout);
    }

    private static void stop(Output output) throws InterruptedException {
        output.requestStop();
        assertTrue(output.awaitStopped(Duration.ofSeconds(2)), "output stopped");
    }

    @Test
    void aPublishThePlatformRefusesIsFailedAtOnceInItsOwnCategory() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (RtmpNotifyEndpoint gate = RtmpNotifyEndpoint.start();
             NginxRtmp nginx = NginxRtmp.startLive(workDir, FreePorts.next(), gate.url())) {
            gate.refuse("wrong-key");
            Output output = output("yt", nginx.url("wrong-key"), RetryPolicy.of(Duration.ofMillis(100),
                    Duration.ofSeconds(5), 0), listener, Duration.ofSeconds(10));
            long startNs = System.nanoTime();
            output.start();
            try (LiveFeed feed = LiveFeed.start(encoded, output)) {
                assertTrue(Await.until(Duration.ofSeconds(3), () -> output.state() == OutputState.FAILED),
                        "FAILED within 3 s: " + output.status() + " " + listener.states);
                long failedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
                LOG.infof("refused publish: FAILED %d ms after start, %d publish attempt(s) seen by nginx, error: %s",
                        failedMs, gate.publishesOf("wrong-key"), output.status().lastError());
                Thread.sleep(500); // no retry may follow
                assertEquals(1, gate.publishesOf("wrong-key"), "one attempt, no blind retries");
            } finally {
                stop(output);
            }
            OutputStatus status = output.status();
            assertEquals("output_refused", status.lastErrorCategory());
            assertFalse(status.lastError().contains("wrong-key"), "key masked: " + status.lastError());
            assertEquals(0, status.retries());
            assertEquals(List.of(OutputState.CONNECTING, OutputState.FAILED), listener.statesOf("yt"));
        }
    }

    @Test
    void anOutputToNothingRetriesWithGrowingDelaysAndGoesLiveByItselfOnceTheServerIsThere() throws Exception {
        RecordingListener listener = new RecordingListener();
        int port = FreePorts.next();
        RetryPolicy policy = RetryPolicy.of(Duration.ofMillis(250), Duration.ofSeconds(4), 0);
        Output output = output("platform", "rtmp://127.0.0.1:" + port + "/live/show", policy, listener,
                Duration.ofSeconds(10));
        long startNs = System.nanoTime();
        output.start();
        try (LiveFeed feed = LiveFeed.start(encoded, output)) {
            assertTrue(Await.until(Duration.ofSeconds(40), () -> listener.retriesOf("platform").size() >= 6),
                    "six failed attempts: " + listener.states);
            List<RecordingListener.Retry> retries = listener.retriesOf("platform");
            List<RecordingListener.StateChange> connects = listener.changesOf("platform").stream()
                    .filter(change -> change.state() == OutputState.CONNECTING).toList();
            StringBuilder timeline = new StringBuilder();
            for (int i = 0; i < retries.size(); i++) {
                RecordingListener.Retry retry = retries.get(i);
                long ceilingNs = policy.ceilingFor(retry.attempt()).toNanos();
                assertEquals(i + 1, retry.attempt(), "attempts counted one by one");
                assertTrue(retry.delayNs() >= 0 && retry.delayNs() <= ceilingNs,
                        "attempt " + retry.attempt() + ": delay " + retry.delayNs() + " ns within its ceiling");
                timeline.append(String.format("%n  attempt %d failed at +%d ms, next in %d ms (ceiling %d ms)",
                        retry.attempt(), ms(retry.atNs() - startNs), ms(retry.delayNs()), ms(ceilingNs)));
                if (i + 1 < connects.size()) {
                    long waitedNs = connects.get(i + 1).atNs() - retry.atNs();
                    // a new attempt starts at the first fresh keyframe after the delay: at most a GOP (1 s) later
                    assertTrue(waitedNs >= retry.delayNs() - TimeUnit.MILLISECONDS.toNanos(1)
                                    && waitedNs <= retry.delayNs() + GOP_NS + TimeUnit.MILLISECONDS.toNanos(250),
                            "the next attempt came after the scheduled delay and the next keyframe: waited "
                                    + ms(waitedNs) + " ms for " + ms(retry.delayNs()));
                    timeline.append(String.format(", attempt %d started at +%d ms", retry.attempt() + 1,
                            ms(connects.get(i + 1).atNs() - startNs)));
                }
            }
            // the ceilings grow 250, 500, 1000, 2000, 4000, 4000 ms; each jittered wait stays under its own
            assertTrue(policy.ceilingFor(5).compareTo(policy.ceilingFor(1)) > 0);
            assertEquals(OutputState.RETRYING, output.state());
            assertEquals("output_connection", output.status().lastErrorCategory());
            LOG.infof("nothing listening on %d, timeline:%s", port, timeline);

            try (RtmpNotifyEndpoint gate = RtmpNotifyEndpoint.start();
                 NginxRtmp nginx = NginxRtmp.startLive(workDir, port, gate.url())) {
                long serverNs = System.nanoTime();
                assertTrue(Await.until(Duration.ofSeconds(8), () -> output.state() == OutputState.LIVE),
                        "LIVE by itself within its backoff (max 4 s): " + output.status());
                long liveMs = ms(System.nanoTime() - serverNs);
                LOG.infof("server up: output LIVE %d ms later (backoff ceiling now %d ms)", liveMs,
                        policy.ceilingFor(retries.size()).toMillis());
                assertTrue(liveMs < policy.maxDelay().toMillis() + 1500, "LIVE within the backoff: " + liveMs);
                assertEquals(1, gate.publishesOf("show"));
                assertTrue(output.status().bytesAcknowledged() > 0, "the platform acknowledged bytes: "
                        + output.status());
                assertTrue(Await.until(Duration.ofSeconds(3), () -> output.status().bitrateBps() > 0));
            } finally {
                stop(output);
            }
        }
    }

    @Test
    void restartReconnectsAWaitingOutputAtOnceWithItsAttemptsReset() throws Exception {
        RecordingListener listener = new RecordingListener();
        int port = FreePorts.next();
        // fixed jitter: every wait is the full ceiling, 10 s from the first failure on
        Output output = output("platform", "rtmp://127.0.0.1:" + port + "/live/show",
                new RetryPolicy(Duration.ofSeconds(10), Duration.ofSeconds(30), 0, () -> 1.0), listener,
                Duration.ofSeconds(10));
        output.start();
        try (LiveFeed feed = LiveFeed.start(encoded, output);
             RtmpNotifyEndpoint gate = RtmpNotifyEndpoint.start()) {
            assertTrue(Await.until(Duration.ofSeconds(10), () -> output.state() == OutputState.RETRYING));
            assertEquals(1, output.status().attempt());
            try (NginxRtmp nginx = NginxRtmp.startLive(workDir, port, gate.url())) {
                long restartNs = System.nanoTime();
                assertTrue(output.requestRestart());
                assertTrue(Await.until(Duration.ofSeconds(3), () -> output.state() == OutputState.LIVE),
                        "LIVE at once after restart, not after the 10 s backoff: " + output.status());
                LOG.infof("restart: LIVE %d ms after restart (backoff was 10 s)", ms(System.nanoTime() - restartNs));
                assertEquals(0, output.status().attempt(), "attempts reset");
                assertEquals(1, gate.publishesOf("show"));
            } finally {
                stop(output);
            }
        }
    }


    @Test
    void aStalledConnectionIsDetectedAndReconnected() throws Exception {
        RecordingListener listener = new RecordingListener();
        Duration stallTimeout = Duration.ofMillis(1500);
        try (RtmpNotifyEndpoint gate = RtmpNotifyEndpoint.start();
             NginxRtmp nginx = NginxRtmp.startLive(workDir, FreePorts.next(), gate.url());
             StallingProxy proxy = StallingProxy.start(nginx.port(), 120_000)) {
            Output output = output("platform", "rtmp://127.0.0.1:" + proxy.port() + "/live/show",
                    RetryPolicy.of(Duration.ofMillis(100), Duration.ofMillis(400), 0), listener, stallTimeout);
            output.start();
            try (LiveFeed feed = LiveFeed.start(encoded, output)) {
                assertTrue(Await.until(Duration.ofSeconds(10), () -> output.state() == OutputState.LIVE),
                        "LIVE through the proxy: " + output.status());
                assertTrue(Await.until(Duration.ofSeconds(15), () -> proxy.stalledAtNs() != 0), "proxy stalled");
                assertTrue(Await.until(Duration.ofSeconds(10), () -> output.status().retries() >= 1),
                        "stall detected: " + output.status());
                long detectedNs = listener.retriesOf("platform").getFirst().atNs();
                long detectedMs = ms(detectedNs - proxy.stalledAtNs());
                assertTrue(output.status().lastError().contains("stalled"), output.status().lastError());
                assertEquals("output_connection", output.status().lastErrorCategory());
                assertTrue(detectedMs >= stallTimeout.toMillis() - 100 && detectedMs < stallTimeout.toMillis() + 2500,
                        "detected " + detectedMs + " ms after the peer stopped reading");
                assertTrue(Await.until(Duration.ofSeconds(15), () -> output.state() == OutputState.LIVE
                        && proxy.connections() >= 2), "LIVE again on a new connection: " + output.status());
                LOG.infof("stall: detected %d ms after the peer stopped reading (stall timeout %d ms), LIVE again "
                        + "%d ms after detection", detectedMs, stallTimeout.toMillis(),
                        ms(listener.changesOf("platform").getLast().atNs() - detectedNs));
                // nginx may still hold the stalled session for a moment ("Already publishing"): such a refusal
                // right after our own session is retried, never final
                assertTrue(gate.publishesOf("show") >= 2, "publishes: " + gate.publishesOf("show"));
                List<OutputState> states = listener.statesOf("platform");
                assertFalse(states.contains(OutputState.FAILED), states.toString());
                assertEquals(List.of(OutputState.CONNECTING, OutputState.LIVE, OutputState.RETRYING,
                        OutputState.CONNECTING), states.subList(0, 4));
                assertEquals(OutputState.LIVE, states.getLast());
            } finally {
                stop(output);
            }
        }
    }

    private static long ms(long ns) {
        return TimeUnit.NANOSECONDS.toMillis(ns);
    }
}
