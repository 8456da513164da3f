package io.streammanager.composition.api;

import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.streammanager.bus.control.Command;
import io.streammanager.bus.control.CommandCodec;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.bus.control.Scope;
import io.streammanager.bus.control.StartStream;
import io.streammanager.bus.control.StopStream;
import io.streammanager.bus.control.StreamKeyRecord;
import io.streammanager.bus.control.StreamKeys;
import io.streammanager.bus.control.StreamSpecJson;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.shm.FrameRingReader;
import io.streammanager.bus.shm.FrameView;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.composition.config.CompositionConfig;
import io.streammanager.composition.testing.RedisAndShmResource;
import jakarta.inject.Inject;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisAndShmResource.class)
class StreamResourceTest {

    @Inject
    RedisDataSource redis;

    @Inject
    CompositionConfig config;

    static String spec(String name) {
        return """
                {"name":"%s","video":{"width":320,"height":240,"fps":25},
                 "scene":{"layers":[{"type":"background","gradient":{"from":"#0f2027","to":"#2c5364","direction":"vertical"}},
                   {"type":"shape","shape":"rectangle","color":"#ff8800","width":40,"height":30,"speedX":240,"speedY":180},
                   {"type":"text","text":"{name} {clock} frame {frame}","x":10,"y":10,"size":20,"color":"#ffffff"}]},
                 "encoder":{"codec":"h264","preset":"veryfast","tune":"zerolatency","bitrateKbps":800,"keyframeIntervalSeconds":2},
                 "outputs":[{"id":"backup","url":"rtmp://example.invalid/live/secret-platform-key?key=abc&x=1"}]}
                """.formatted(name);
    }

    static String create(String name) {
        return asAdmin().contentType(ContentType.JSON).body(spec(name))
                .when().post("/api/v1/streams")
                .then().statusCode(201).extract().path("id");
    }

    @AfterEach
    void deleteAllStreams() {
        deleteAll();
    }

    /** Deletes every stored stream through the API, so no test sees another's leftovers. */
    static void deleteAll() {
        List<String> ids = asAdmin().when().get("/api/v1/streams").then().statusCode(200).extract().path("id");
        for (String id : ids) {
            asAdmin().when().delete("/api/v1/streams/" + id).then().statusCode(204);
        }
    }

    @Test
    void createAnswers201WithTheViewAndPlaybackUrlButNeverTheGatewayKey() {
        asAdmin().contentType(ContentType.JSON).body(spec("alpha"))
                .when().post("/api/v1/streams")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/streams/"))
                .body("id", org.hamcrest.Matchers.matchesPattern("[a-z0-9]{12}"))
                .body("name", equalTo("alpha"))
                .body("video.width", equalTo(320))
                .body("scene.layers[1].type", equalTo("shape"))
                .body("encoder.preset", equalTo("veryfast"))
                .body("state", equalTo("running"))
                .body("playbackUrl", equalTo("rtmp://127.0.0.1:1935/live/alpha"))
                .body("createdAtMs", org.hamcrest.Matchers.greaterThan(0L))
                .body("outputs[0].id", equalTo("backup"))
                .body("outputs[0].url", equalTo("rtmp://example.invalid/live/***?key=***&x=***"))
                .body("$", not(hasKey("gatewayKey")))
                .body(not(containsString("secret-platform-key")));
    }

    @Test
    void createStoresTheSpecNameIndexAndAPublishKeyForTheGateway() {
        String id = create("bravo");
        String json = redis.value(String.class).get(RedisKeys.stream(id));
        StreamSpec stored = StreamSpecJson.read(json);
        assertEquals("bravo", stored.name());
        assertEquals(1, stored.version());
        assertNotNull(stored.gatewayKey());
        assertTrue(redis.set(String.class).smembers(RedisKeys.STREAM_IDS).contains(id));
        assertEquals(id, redis.value(String.class).get(RedisKeys.streamName("bravo")));
        Map<String, String> keyFields = redis.hash(String.class).hgetall(RedisKeys.streamKey(StreamKeys.hash(stored.gatewayKey())));
        StreamKeyRecord record = StreamKeyRecord.fromMap(keyFields);
        assertEquals("bravo", record.streamName());
        assertEquals(id, record.streamId());
        assertEquals(java.util.Set.of(Scope.PUBLISH), record.scopes());
        assertFalse(record.revoked());
    }

    @Test
    void createPublishesADecodableStartStreamCommand() {
        String id = create("charlie");
        Command command = commands().stream()
                .filter(c -> c instanceof StartStream start && start.spec().id().equals(id))
                .findFirst().orElseThrow();
        StreamSpec spec = assertInstanceOf(StartStream.class, command).spec();
        assertEquals("charlie", spec.name());
        assertNotNull(spec.gatewayKey(), "the muxer needs the key to publish to the gateway");
        assertEquals(25, spec.video().fps());
    }

    @Test
    void theFrameRingFillsWithAdvancingNonTrivialFrames() throws Exception {
        String id = create("delta");
        Path ring = RingFiles.frameRing(config.shmDir(), id);
        assertTrue(Files.exists(ring), "ring file " + ring);
        try (FrameRingReader reader = FrameRingReader.open(ring, Duration.ofSeconds(2))) {
            assertEquals(320, reader.geometry().width());
            FrameView view = new FrameView();
            assertEquals(FrameRingReader.FRAME, reader.await(view, Duration.ofSeconds(2).toNanos()));
            long firstSequence = view.sequence();
            long firstPts = view.ptsUs();
            int min = 255;
            int max = 0;
            for (long i = 0; i < 320L * 240; i += 7) {
                int luma = view.pixels().get(ValueLayout.JAVA_BYTE, i) & 0xFF;
                min = Math.min(min, luma);
                max = Math.max(max, luma);
            }
            assertTrue(reader.stillValid(view), "the frame was not overwritten while being read");
            assertTrue(max - min > 50, "gradient, shape and text give a spread of luma: " + min + ".." + max);
            assertTrue(Math.abs(view.captureEpochUs() / 1000 - System.currentTimeMillis()) < 5000, "capture time is wall clock");
            Thread.sleep(200);
            long last = firstSequence;
            long lastPts = firstPts;
            while (reader.poll(view) == FrameRingReader.FRAME) {
                last = view.sequence();
                lastPts = view.ptsUs();
            }
            assertTrue(last >= firstSequence + 3, "sequences advance: " + firstSequence + " -> " + last);
            long ptsAdvance = lastPts - firstPts;
            assertEquals(0, ptsAdvance % 40_000, "pts are whole frame durations: " + ptsAdvance);
            assertTrue(ptsAdvance >= (last - firstSequence) * 40_000,
                    "pts advance at least a frame duration per frame (more when the clock skipped slots)");
        }
    }

    @Test
    void getShowsOneStreamAndListShowsAll() {
        String one = create("echo");
        String two = create("foxtrot");
        asAdmin().when().get("/api/v1/streams/" + one)
                .then().statusCode(200).body("name", equalTo("echo")).body("$", not(hasKey("gatewayKey")));
        asAdmin().when().get("/api/v1/streams")
                .then().statusCode(200)
                .body("id", hasItem(one)).body("id", hasItem(two))
                .body("name", hasItem("foxtrot"))
                .body(not(containsString("gatewayKey")));
    }

    @Test
    void deleteStopsRenderingRemovesTheRingAndRedisStateAndPublishesStopStream() {
        String id = create("golf");
        String json = redis.value(String.class).get(RedisKeys.stream(id));
        String keyHash = StreamKeys.hash(StreamSpecJson.read(json).gatewayKey());
        Path ring = RingFiles.frameRing(config.shmDir(), id);
        assertTrue(Files.exists(ring));

        asAdmin().when().delete("/api/v1/streams/" + id).then().statusCode(204);

        assertFalse(Files.exists(ring), "ring file deleted");
        assertFalse(Files.exists(RingFiles.streamDir(config.shmDir(), id)), "stream directory deleted");
        assertEquals(null, redis.value(String.class).get(RedisKeys.stream(id)));
        assertEquals(null, redis.value(String.class).get(RedisKeys.streamName("golf")));
        assertEquals(0, redis.key().exists(RedisKeys.streamKey(keyHash)) ? 1 : 0);
        assertFalse(redis.set(String.class).smembers(RedisKeys.STREAM_IDS).contains(id));
        StopStream stop = commands().stream()
                .filter(c -> c instanceof StopStream s && s.streamId().equals(id))
                .map(StopStream.class::cast).findFirst().orElseThrow();
        assertEquals("golf", stop.streamName());
        assertEquals("deleted", stop.reason());
        asAdmin().when().get("/api/v1/streams/" + id).then().statusCode(404);
    }

    @Test
    void aDeletedNameCanBeUsedAgain() {
        String id = create("hotel");
        asAdmin().when().delete("/api/v1/streams/" + id).then().statusCode(204);
        create("hotel");
    }

    @Test
    void aSecondStreamWithTheSameNameGets409() {
        create("india");
        asAdmin().contentType(ContentType.JSON).body(spec("india"))
                .when().post("/api/v1/streams")
                .then().statusCode(409).body("error", equalTo("stream name taken")).body("field", equalTo("name"));
    }

    @Test
    void unknownIdsGet404() {
        asAdmin().when().get("/api/v1/streams/nosuchstream").then().statusCode(404)
                .body("error", equalTo("stream not found"));
        asAdmin().when().delete("/api/v1/streams/nosuchstream").then().statusCode(404);
    }

    @Test
    void invalidSpecsGet400NamingTheField() {
        assertBadRequest(spec("x").replace("\"width\":320", "\"width\":321"), "video.width");
        assertBadRequest(spec("bad name"), "name");
        assertBadRequest(spec("x").replace("\"fps\":25", "\"fps\":0"), "video.fps");
        assertBadRequest(spec("x").replace("#ff8800", "orange"), "scene.layers[1].color");
        assertBadRequest(spec("x").replace("\"preset\":\"veryfast\"", "\"preset\":\"warp\""), "encoder.preset");
        assertBadRequest(spec("x").replace("rtmp://example.invalid", "http://example.invalid"), "outputs[0].url");
    }

    @Test
    void malformedJsonWrongTypesAndUnknownLayerTypesGet400NamingTheField() {
        assertBadRequest(spec("x").replace("\"width\":320", "\"width\":\"wide\""), "video.width");
        assertBadRequest(spec("x").replace("{\"type\":\"shape\"", "{\"type\":\"hologram\""), "scene.layers[1].type");
        assertBadRequest(spec("x").replace("\"video\":{", "\"video\":[{").replace("\"fps\":25}", "\"fps\":25}]"), "video");
        assertBadRequest("{\"name\":\"x\",\"video\":{\"width\":320,", "video");
        assertBadRequest("{\"name\":\"x\", nope}", "body");
        assertBadRequest("", "body");
    }

    @Test
    void metricsAndHealthCoverTheRenderLoops() throws Exception {
        String id = create("juliet");
        Thread.sleep(150);
        asAdmin().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("composition_frames_total{stream=\"" + id + "\"}"))
                .body(containsString("composition_frame_time_seconds_count{stream=\"" + id + "\"}"))
                .body(containsString("composition_late_frames_total{stream=\"" + id + "\"}"))
                .body(containsString("composition_dropped_frames_total{stream=\"" + id + "\"}"))
                .body(containsString("composition_active_streams"));
        asAdmin().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        asAdmin().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void theInstanceKeepsAHeartbeatInRedis() {
        assertTrue(new io.streammanager.bus.control.Heartbeats(redis, "test", "probe").alive("composition", "composition-test"));
    }

    private static void assertBadRequest(String body, String field) {
        asAdmin().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/streams")
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("error", equalTo("invalid stream spec"))
                .body("field", equalTo(field))
                .body("message", startsWith(""));
    }

    private List<Command> commands() {
        List<StreamMessage<String, String, String>> entries =
                redis.stream(String.class).xrange(RedisKeys.COMMANDS, StreamRange.of("-", "+"));
        return entries.stream().map(m -> CommandCodec.decode(m.payload())).toList();
    }
}
