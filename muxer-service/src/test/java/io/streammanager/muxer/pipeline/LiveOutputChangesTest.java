package io.streammanager.muxer.pipeline;

import io.streammanager.bus.testing.FreePorts;

import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.bus.control.spec.OutputSpec;
import io.streammanager.bus.control.spec.RetrySpec;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.VideoSpec;
import io.streammanager.muxer.config.MuxerConfig;
import io.streammanager.muxer.output.Output;
import io.streammanager.muxer.output.OutputState;
import io.streammanager.muxer.output.OutputStatus;
import io.streammanager.muxer.testing.Await;
import io.streammanager.muxer.testing.FfmpegCli;
import io.streammanager.muxer.testing.MuxerTestResource;
import io.streammanager.bus.testing.NginxRtmp;
import io.streammanager.muxer.testing.PacketRingFeeder;
import io.streammanager.bus.testing.RtmpNotifyEndpoint;
import io.streammanager.muxer.testing.SyntheticH264;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Live output changes through {@link PipelineManager#start} and {@link PipelineManager#restartOutput}, against
 * nginx-rtmp as the platform (its on_publish endpoint counts every publish): the outputs a change does not concern
 * keep their one connection. Also the output status hash in Redis.
 */
@QuarkusTest
@QuarkusTestResource(MuxerTestResource.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LiveOutputChangesTest {
    private static final String GATEWAY_KEY = "gw-secret-Lq4";
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    RedisDataSource redis;

    @Inject
    MuxerConfig config;

    @Inject
    PipelineManager pipelines;

    private static StreamSpec spec(String streamId, long version, OutputSpec... outputs) {
        return new StreamSpec(streamId, "changes", new VideoSpec(320, 240, 30), null, null, List.of(outputs),
                GATEWAY_KEY, 1, version);
    }

    @Test
    void pauseResumeRetryChangesAndRestartsLeaveTheOtherOutputsOnTheirOneConnection() throws Exception {
        assertTrue(NginxRtmp.available(), "Debian's nginx with libnginx-mod-rtmp is installed (build/install-test-tools.sh)");
        String streamId = "changes-" + System.nanoTime();
        Path dir = Files.createDirectories(Path.of("target", "live-changes", streamId));
        SyntheticH264.Encoded encoded = SyntheticH264.encode(320, 240, 30, 60);
        try (RtmpNotifyEndpoint gate = RtmpNotifyEndpoint.start();
             NginxRtmp nginx = NginxRtmp.startLive(dir, FreePorts.next(), gate.url());
             PacketRingFeeder feeder = PacketRingFeeder.start(config.shmDir(), streamId, encoded)) {
            OutputSpec a = new OutputSpec("a", nginx.url("key-a"));
            OutputSpec b = new OutputSpec("b", nginx.url("key-b"));
            pipelines.start(spec(streamId, 1, a, b));
            assertTrue(Await.until(Duration.ofSeconds(15), () -> state(streamId, "a") == OutputState.LIVE
                    && state(streamId, "b") == OutputState.LIVE), "both LIVE: " + pipelines.statuses());
            Output outputA = output(streamId, "a");

            // the status hash: one JSON field per output, no key in it
            assertTrue(Await.until(Duration.ofSeconds(3), () -> "LIVE".equals(redisState(streamId, "a"))));
            Map<String, String> hash = redis.hash(String.class).hgetall(RedisKeys.outputStatus(streamId));
            assertTrue(hash.keySet().containsAll(List.of("gateway", "a", "b")), hash.keySet().toString());
            assertFalse(hash.toString().contains("key-a") || hash.toString().contains(GATEWAY_KEY), hash.toString());
            JsonNode statusA = json.readTree(hash.get("a"));
            assertTrue(statusA.get("sinceMs").asLong() > 0 && statusA.get("bytesAcknowledged").asLong() > 0,
                    statusA.toString());

            // pause b: a keeps its connection, b is listed as PAUSED
            pipelines.start(spec(streamId, 2, a, new OutputSpec("b", b.url(), false, null)));
            assertEquals(OutputState.PAUSED, state(streamId, "b"));
            assertTrue(Await.until(Duration.ofSeconds(3), () -> "PAUSED".equals(redisState(streamId, "b"))));
            asAdmin().get("/api/v1/outputs").then().statusCode(200)
                    .body(containsString("\"PAUSED\""), containsString("\"bitrateBps\""), not(containsString("key-")));

            // a new retry policy for a alone: applied in place
            pipelines.start(spec(streamId, 3, new OutputSpec("a", a.url(), null, new RetrySpec(5, 250L, null)),
                    new OutputSpec("b", b.url(), false, null)));
            assertTrue(outputA == output(streamId, "a"), "a is the same output");
            assertEquals(5, outputA.retryPolicy().maxAttempts());
            assertEquals(Duration.ofMillis(250), outputA.retryPolicy().baseDelay());

            // resume b: a new publish for b only
            OutputSpec aWithRetry = new OutputSpec("a", a.url(), null, new RetrySpec(5, 250L, null));
            pipelines.start(spec(streamId, 4, aWithRetry, new OutputSpec("b", b.url(), true, null)));
            assertTrue(Await.until(Duration.ofSeconds(10), () -> state(streamId, "b") == OutputState.LIVE),
                    "b resumed: " + pipelines.statuses());

            // a refused output is FAILED at once; once the platform accepts, restartOutput brings it back
            gate.refuse("key-c");
            OutputSpec c = new OutputSpec("c", nginx.url("key-c"));
            long addedNs = System.nanoTime();
            pipelines.start(spec(streamId, 5, aWithRetry, b, c));
            assertTrue(Await.until(Duration.ofSeconds(5), () -> state(streamId, "c") == OutputState.FAILED),
                    "c refused: " + pipelines.statuses());
            long failedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - addedNs);
            assertEquals("output_refused", status(streamId, "c").lastErrorCategory());
            assertEquals(1, gate.publishesOf("key-c"));
            gate.accept("key-c");
            assertTrue(pipelines.restartOutput(streamId, "c"));
            assertTrue(Await.until(Duration.ofSeconds(10), () -> state(streamId, "c") == OutputState.LIVE),
                    "c restarted: " + pipelines.statuses());
            assertEquals(2, gate.publishesOf("key-c"));
            assertFalse(pipelines.restartOutput(streamId, "nope"));
            assertFalse(pipelines.restartOutput("no-such-stream", "a"));

            // through all of it, a was never touched: one publish, no retry, same output
            assertEquals(1, gate.publishesOf("key-a"), "a published once");
            assertEquals(2, gate.publishesOf("key-b"), "b: once, then once more on resume");
            assertTrue(outputA == output(streamId, "a"));
            assertEquals(0, status(streamId, "a").retries());
            assertEquals(OutputState.LIVE, state(streamId, "a"));
            org.jboss.logging.Logger.getLogger(LiveOutputChangesTest.class)
                    .infof("refused output FAILED %d ms after it was added", failedMs);

            pipelines.stop(streamId);
            assertTrue(Await.until(Duration.ofSeconds(3),
                    () -> redis.key(String.class).exists(RedisKeys.outputStatus(streamId)) == false),
                    "the status hash is deleted when the stream stops");
        } finally {
            pipelines.stop(streamId);
        }
    }

    private Output output(String streamId, String outputId) {
        return pipelines.pipeline(streamId).outputs().stream().filter(o -> o.id().equals(outputId)).findFirst()
                .orElse(null);
    }

    private OutputStatus status(String streamId, String outputId) {
        List<OutputStatus> outputs = pipelines.statuses().get(streamId);
        if (outputs == null) {
            return null;
        }
        return outputs.stream().filter(o -> o.id().equals(outputId)).findFirst().orElse(null);
    }

    private OutputState state(String streamId, String outputId) {
        OutputStatus status = status(streamId, outputId);
        return status == null ? null : status.state();
    }

    private String redisState(String streamId, String outputId) {
        String value = redis.hash(String.class).hget(RedisKeys.outputStatus(streamId), outputId);
        if (value == null) {
            return null;
        }
        try {
            return json.readTree(value).get("state").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
