package io.streammanager.composition.api;

import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import io.streammanager.bus.control.RestartOutput;
import io.streammanager.bus.control.StreamSpecJson;
import io.streammanager.bus.control.UpdateStream;
import io.streammanager.bus.control.spec.TextLayer;
import io.streammanager.composition.stream.StreamRegistry;
import io.streammanager.composition.testing.RedisAndShmResource;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Live changes over REST: merge patches, versions and If-Match, output routes, and what reaches the command stream. */
@QuarkusTest
@WithTestResource(RedisAndShmResource.class)
class StreamUpdateTest {

    private static final String MERGE_PATCH = "application/merge-patch+json";

    @Inject
    RedisDataSource redis;

    @Inject
    StreamRegistry registry;

    @AfterEach
    void deleteAllStreams() {
        StreamResourceTest.deleteAll();
    }

    @Test
    void aPatchChangesOnlyWhatItNamesBumpsTheVersionAndAnnouncesTheChangedParts() {
        String id = StreamResourceTest.create("patched");
        asAdmin().when().get("/api/v1/streams/" + id).then().statusCode(200)
                .header("ETag", "\"1\"").body("version", equalTo(1));
        long generation = registry.find(id).orElseThrow().generation();

        asAdmin().contentType(MERGE_PATCH)
                .body("{\"encoder\":{\"bitrateKbps\":1200},"
                        + "\"scene\":{\"layers\":[{\"type\":\"text\",\"text\":\"fixed typo\",\"x\":5,\"y\":5,\"size\":20,"
                        + "\"color\":\"#ffffff\"}]}}")
                .when().patch("/api/v1/streams/" + id)
                .then().statusCode(200).header("ETag", "\"2\"")
                .body("version", equalTo(2))
                .body("encoder.bitrateKbps", equalTo(1200))
                .body("encoder.preset", equalTo("veryfast"))
                .body("scene.layers[0].text", equalTo("fixed typo"))
                .body("outputs.id", hasItem("backup"))
                .body("outputs[0].url", not(containsString("secret-platform-key")));

        UpdateStream update = lastCommand(UpdateStream.class);
        assertEquals(2, update.spec().version());
        assertEquals(List.of("scene", "encoder"), update.changed());
        assertEquals(2, StreamSpecJson.read(redis.value(String.class).get(RedisKeys.stream(id))).version());
        var running = registry.find(id).orElseThrow();
        assertEquals(2, running.spec().version(), "this instance renders the new version");
        assertInstanceOf(TextLayer.class, running.spec().scene().layers().getFirst());
        assertEquals(generation, running.generation(), "the ring was not recreated: same producer generation");
    }

    @Test
    void aPatchThatChangesNothingKeepsTheVersionAndSendsNoCommand() {
        String id = StreamResourceTest.create("unchanged");
        long before = commandCount();
        asAdmin().contentType(MERGE_PATCH).body("{\"encoder\":{\"bitrateKbps\":800}}")
                .when().patch("/api/v1/streams/" + id)
                .then().statusCode(200).body("version", equalTo(1));
        assertEquals(before, commandCount());
    }

    @Test
    void anOutdatedIfMatchGets412AndChangesNothing() {
        String id = StreamResourceTest.create("guarded");
        asAdmin().contentType(MERGE_PATCH).header("If-Match", "\"1\"").body("{\"encoder\":{\"bitrateKbps\":900}}")
                .when().patch("/api/v1/streams/" + id).then().statusCode(200).header("ETag", "\"2\"");
        asAdmin().contentType(MERGE_PATCH).header("If-Match", "\"1\"").body("{\"encoder\":{\"bitrateKbps\":3000}}")
                .when().patch("/api/v1/streams/" + id)
                .then().statusCode(412).header("ETag", "\"2\"").body("field", equalTo("If-Match"));
        asAdmin().when().get("/api/v1/streams/" + id).then().body("encoder.bitrateKbps", equalTo(900))
                .body("version", equalTo(2));
    }

    @Test
    void refusedPatchesNameTheFieldAndLeaveTheStreamUntouched() {
        String id = StreamResourceTest.create("refusals");
        assertRefused(id, "{\"name\":\"renamed\"}", "name");
        assertRefused(id, "{\"video\":{\"width\":640}}", "video");
        assertRefused(id, "{\"encoder\":{\"bitrateKbps\":1}}", "encoder.bitrateKbps");
        assertRefused(id, "{\"encoder\":{\"renditions\":[]}}", "encoder.renditions");
        assertRefused(id, "{\"version\":7}", "version");
        assertRefused(id, "{\"outputs\":[{\"id\":\"x\",\"url\":\"http://not-rtmp\"}]}", "outputs[0].url");
        assertRefused(id, "[1,2]", "body");
        asAdmin().when().get("/api/v1/streams/" + id).then().statusCode(200).body("version", equalTo(1))
                .body("name", equalTo("refusals"));
    }

    @Test
    void anUnknownFieldInACreateIsRefusedNamingIt() {
        String body = StreamResourceTest.spec("typo").replace("\"bitrateKbps\":800", "\"bitrateKbps\":800,\"resolutions\":[]");
        asAdmin().contentType(ContentType.JSON).body(body).when().post("/api/v1/streams")
                .then().statusCode(400).body("field", equalTo("encoder.resolutions"))
                .body("message", containsString("resolutions"));
    }

    @Test
    void outputsAreAddedPausedRestartedAndRemovedOneByOne() {
        String id = StreamResourceTest.create("outputs");
        asAdmin().contentType(ContentType.JSON)
                .body("{\"id\":\"twitch\",\"url\":\"rtmp://127.0.0.1:1/app/live_key\",\"retry\":{\"attempts\":0,\"delayMs\":500}}")
                .when().post("/api/v1/streams/" + id + "/outputs")
                .then().statusCode(201).header("ETag", "\"2\"")
                .header("Location", containsString("/api/v1/streams/" + id + "/outputs/twitch"))
                .body("id", equalTo("twitch")).body("enabled", equalTo(true))
                .body("url", not(containsString("live_key"))).body("retry.delayMs", equalTo(500));
        asAdmin().contentType(ContentType.JSON).body("{\"id\":\"twitch\",\"url\":\"rtmp://127.0.0.1:2/app/other\"}")
                .when().post("/api/v1/streams/" + id + "/outputs").then().statusCode(400).body("field", equalTo("id"));

        asAdmin().contentType(MERGE_PATCH).body("{\"enabled\":false}")
                .when().patch("/api/v1/streams/" + id + "/outputs/twitch")
                .then().statusCode(200).header("ETag", "\"3\"").body("enabled", equalTo(false));
        assertEquals(List.of("outputs"), lastCommand(UpdateStream.class).changed());

        asAdmin().when().post("/api/v1/streams/" + id + "/outputs/twitch/restart").then().statusCode(202);
        assertEquals(new RestartOutput(id, "twitch"), lastCommand(RestartOutput.class));
        asAdmin().when().post("/api/v1/streams/" + id + "/outputs/nope/restart").then().statusCode(404)
                .body("field", equalTo("outputId"));

        asAdmin().when().delete("/api/v1/streams/" + id + "/outputs/twitch").then().statusCode(204).header("ETag", "\"4\"");
        asAdmin().when().delete("/api/v1/streams/" + id + "/outputs/twitch").then().statusCode(404);
        asAdmin().when().get("/api/v1/streams/" + id + "/outputs").then().statusCode(200)
                .body("id", not(hasItem("twitch"))).body("id", hasItem("backup"));
    }

    @Test
    void theViewShowsWhatEachServiceAppliedAndWhatItCouldNot() {
        String id = StreamResourceTest.create("reported");
        redis.hash(String.class).hset(RedisKeys.streamStatus(id), Map.of("encoder.version", "1",
                "muxer.version", "1", "muxer.error", "version 2: output x could not be opened"));
        redis.hash(String.class).hset(RedisKeys.outputStatus(id), "gateway", "{\"state\":\"LIVE\",\"attempt\":0}");
        asAdmin().when().get("/api/v1/streams/" + id).then().statusCode(200)
                .body("applied.encoder", equalTo(1))
                .body("errors.muxer", containsString("could not be opened"))
                .body("outputs.find { it.id == 'gateway' }.status.state", equalTo("LIVE"));
    }

    private static void assertRefused(String id, String patch, String field) {
        asAdmin().contentType(MERGE_PATCH).body(patch).when().patch("/api/v1/streams/" + id)
                .then().statusCode(400).body("field", equalTo(field));
    }

    private long commandCount() {
        return redis.stream(String.class).xlen(RedisKeys.COMMANDS);
    }

    private <C extends Command> C lastCommand(Class<C> type) {
        List<StreamMessage<String, String, String>> last = redis.stream(String.class)
                .xrevrange(RedisKeys.COMMANDS, StreamRange.of("+", "-"), 1);
        assertTrue(!last.isEmpty(), "a command was published");
        return type.cast(CommandCodec.decode(last.getFirst().payload()));
    }
}
