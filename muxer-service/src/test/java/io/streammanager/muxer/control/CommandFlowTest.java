package io.streammanager.muxer.control;

import static io.restassured.RestAssured.given;
import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streammanager.bus.control.BusEvent;
import io.streammanager.bus.control.CommandBus;
import io.streammanager.bus.control.EventBus;
import io.streammanager.bus.control.EventTypes;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.bus.control.StartStream;
import io.streammanager.bus.control.StopStream;
import io.streammanager.bus.control.spec.OutputSpec;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.VideoSpec;
import io.streammanager.muxer.config.MuxerConfig;
import io.streammanager.muxer.output.OutputState;
import io.streammanager.muxer.output.OutputStatus;
import io.streammanager.muxer.pipeline.PipelineManager;
import io.streammanager.muxer.testing.Await;
import io.streammanager.muxer.testing.FfmpegCli;
import io.streammanager.muxer.testing.MuxerTestResource;
import io.streammanager.muxer.testing.PacketRingFeeder;
import io.streammanager.muxer.testing.SyntheticH264;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The service end to end: commands from Redis, a packet ring, an ffmpeg RTMP listener standing in for the gateway. */
@QuarkusTest
@QuarkusTestResource(MuxerTestResource.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CommandFlowTest {
    private static final String GATEWAY_KEY = "gw-secret-Zq9";

    @Inject
    RedisDataSource redis;

    @Inject
    MuxerConfig config;

    @Inject
    PipelineManager pipelines;

    @Test
    void startStreamPushesToTheGatewayAndStopStreamStopsItWithinOneSecond() throws Exception {
        SyntheticH264.Encoded encoded = SyntheticH264.encode(320, 240, 30, 90);
        String streamId = "flow-" + System.nanoTime();
        int gatewayPort = URI.create(config.gateway().publishBaseUrl()).getPort();
        Path received = Files.createTempFile("muxer-flow-", ".flv");
        StreamSpec spec = new StreamSpec(streamId, "demo", new VideoSpec(320, 240, 30), null, null, List.of(),
                GATEWAY_KEY, System.currentTimeMillis(), 1);
        try {
            pushThenStop(encoded, streamId, gatewayPort, received, spec);
        } finally {
            for (String suffix : List.of("", ".log", ".framemd5", ".framemd5.log", ".rec.flv", ".rec.flv.framemd5",
                    ".rec.flv.framemd5.log")) {
                Files.deleteIfExists(received.resolveSibling(received.getFileName() + suffix));
            }
        }
    }

    private void pushThenStop(SyntheticH264.Encoded encoded, String streamId, int gatewayPort, Path received,
                              StreamSpec spec) throws Exception {
        CommandBus commands = new CommandBus(redis);
        try (PacketRingFeeder feeder = PacketRingFeeder.start(config.shmDir(), streamId, encoded);
             FfmpegCli.Listener gateway = FfmpegCli.copyToFlv(gatewayPort, received)) {
            commands.publish(new StartStream(spec));

            assertTrue(Await.until(Duration.ofSeconds(20), () -> gatewayStatus(streamId) != null
                    && gatewayStatus(streamId).state() == OutputState.LIVE
                    && gatewayStatus(streamId).packetsWritten() >= 60), "gateway output live: " + pipelines.statuses());
            // a running stream takes a new spec: a recording output joins, the gateway keeps going untouched
            Path recording = received.resolveSibling(received.getFileName() + ".rec.flv");
            long gatewayPacketsBefore = gatewayStatus(streamId).packetsWritten();
            // the first connect may have raced the listener's start: what counts is that the update adds no retry
            long gatewayRetriesBefore = gatewayStatus(streamId).retries();
            commands.publish(new StartStream(new StreamSpec(streamId, "demo", spec.video(), null, null,
                    List.of(new OutputSpec("rec", recording.toString())), GATEWAY_KEY, spec.createdAtMs(), 2)));
            assertTrue(Await.until(Duration.ofSeconds(10), () -> status(streamId, "rec") != null
                    && status(streamId, "rec").packetsWritten() >= 30), "recording joined: " + pipelines.statuses());
            assertTrue(gatewayStatus(streamId).packetsWritten() > gatewayPacketsBefore);
            assertTrue(Await.until(Duration.ofSeconds(5), () -> "2".equals(redis.hash(String.class)
                    .hget(RedisKeys.streamStatus(streamId), "muxer.version"))), "the applied version is recorded");
            assertEquals(gatewayRetriesBefore, gatewayStatus(streamId).retries(), "the gateway output was not restarted");

            asAdmin().get("/api/v1/outputs").then().statusCode(200)
                    .body(containsString(streamId), containsString("\"state\":\"LIVE\""), not(containsString(GATEWAY_KEY)));
            given().get("/q/metrics").then().statusCode(200)
                    .body(containsString("muxer_active_outputs"), containsString("muxer_queue_size{"),
                            containsString("muxer_output_bytes_total{"), containsString("muxer_pipeline_latency_seconds"),
                            containsString("muxer_output_state{"), not(containsString(GATEWAY_KEY)));

            long stopPublishedNs = System.nanoTime();
            commands.publish(new StopStream(streamId, "demo", "test"));
            assertTrue(Await.until(Duration.ofSeconds(2), () -> !pipelines.running(streamId)));
            long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopPublishedNs);
            assertTrue(stopMs < 1000, "stopped " + stopMs + " ms after the StopStream command");
            assertTrue(gateway.awaitExit(10, TimeUnit.SECONDS), "the gateway saw the publisher leave");
        }

        FfmpegCli.FrameMd5 frames = FfmpegCli.decodeFile(received, received.getParent());
        FfmpegCli.FrameMd5 recorded = FfmpegCli.decodeFile(
                received.resolveSibling(received.getFileName() + ".rec.flv"), received.getParent());
        assertTrue(recorded.count() >= 30 && recorded.ptsStrictlyIncreasing(), "recording: " + recorded.count());
        assertTrue(frames.count() >= 60, "decodable frames at the gateway: " + frames.count());
        assertTrue(frames.ptsStrictlyIncreasing());

        List<BusEvent> events = new EventBus(redis).readAfter("0-0", 1000).stream().map(Map.Entry::getValue)
                .filter(e -> e.type().equals(EventTypes.OUTPUT_STATE) && streamId.equals(e.streamId())).toList();
        List<String> states = events.stream().map(e -> e.attributes().get("state")).toList();
        List<String> gatewayStates = events.stream().filter(e -> "gateway".equals(e.attributes().get("output")))
                .map(e -> e.attributes().get("state")).toList();
        assertTrue(gatewayStates.contains("LIVE") && gatewayStates.getLast().equals("STOPPED"),
                "output.state events: " + states);
        assertTrue(events.stream().allMatch(e -> List.of("gateway", "rec").contains(e.attributes().get("output"))));
        assertFalse(events.toString().contains(GATEWAY_KEY), "no key in events");
    }

    @Test
    void streamsProvisionedBeforeStartArePickedUp() throws Exception {
        assertTrue(Await.until(Duration.ofSeconds(10),
                () -> pipelines.running(MuxerTestResource.PROVISIONED_STREAM_ID)));
        new CommandBus(redis).publish(new StopStream(MuxerTestResource.PROVISIONED_STREAM_ID, "provisioned", "test"));
        assertTrue(Await.until(Duration.ofSeconds(3),
                () -> !pipelines.running(MuxerTestResource.PROVISIONED_STREAM_ID)));
    }

    @Test
    void healthIsUpWhileRedisAnswers() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("Redis connection health check"),
                containsString("control-loop"));
        given().get("/q/health/live").then().statusCode(200).body(containsString("muxer-loops"),
                containsString("control-loop"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("muxer_active_outputs"));
    }

    private OutputStatus gatewayStatus(String streamId) {
        return status(streamId, "gateway");
    }

    private OutputStatus status(String streamId, String outputId) {
        List<OutputStatus> outputs = pipelines.statuses().get(streamId);
        if (outputs == null) {
            return null;
        }
        return outputs.stream().filter(o -> o.id().equals(outputId)).findFirst().orElse(null);
    }

}
