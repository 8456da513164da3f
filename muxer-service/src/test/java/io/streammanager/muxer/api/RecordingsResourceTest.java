package io.streammanager.muxer.api;

import static io.restassured.RestAssured.given;
import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.streammanager.bus.control.spec.OutputSpec;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.VideoSpec;
import io.streammanager.muxer.config.MuxerConfig;
import io.streammanager.muxer.pipeline.PipelineManager;
import io.streammanager.muxer.testing.Await;
import io.streammanager.muxer.testing.FfmpegCli;
import io.streammanager.muxer.testing.MuxerTestResource;
import io.streammanager.muxer.testing.PacketRingFeeder;
import io.streammanager.muxer.testing.SyntheticH264;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The recordings API on the service, recording a real packet ring. */
@QuarkusTest
@QuarkusTestResource(MuxerTestResource.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecordingsResourceTest {

    @Inject
    PipelineManager pipelines;

    @Inject
    MuxerConfig config;

    @TempDir
    Path workDir;

    private static StreamSpec spec(String streamId, List<OutputSpec> outputs) {
        return new StreamSpec(streamId, "rec-" + streamId, new VideoSpec(320, 240, 30), null, null, outputs, "k",
                System.currentTimeMillis(), 1);
    }

    private static String base(String streamId) {
        return "/api/v1/streams/" + streamId + "/recordings";
    }

    @Test
    void aRecordingStartsDownloadsWithRangesStopsAndIsRemoved() throws Exception {
        String streamId = "rec" + System.nanoTime();
        SyntheticH264.Encoded encoded = SyntheticH264.encode(320, 240, 30, 90);
        try (PacketRingFeeder feeder = PacketRingFeeder.start(config.shmDir(), streamId, encoded)) {
            pipelines.start(spec(streamId, List.of()));
            try {
                asAdmin().contentType("application/json").body("{\"maxDurationS\":0}").post(base(streamId))
                        .then().statusCode(400).body("field", equalTo("maxDurationS"));
                asAdmin().contentType("application/json").body("{\"rendition\":\"nope\"}").post(base(streamId))
                        .then().statusCode(400).body("field", equalTo("rendition"));
                asAdmin().contentType("application/json").body("{\"bitrate\":1}").post(base(streamId))
                        .then().statusCode(400).body("field", equalTo("bitrate"));
                asAdmin().contentType("application/json").body("{}").post(base("nosuchstream"))
                        .then().statusCode(404).body("field", equalTo("streamId"));
                given().contentType("application/json").body("{}").post(base(streamId)).then().statusCode(401);

                Response created = asAdmin().contentType("application/json").body("{}").post(base(streamId));
                created.then().statusCode(201).body("state", equalTo("recording")).body("streamId", equalTo(streamId))
                        .body("rendition", equalTo("main"));
                String id = created.path("id");
                String item = base(streamId) + "/" + id;
                assertTrue(Await.until(Duration.ofSeconds(30), () -> {
                    Integer bytes = asAdmin().get(item).path("bytes");
                    return bytes != null && bytes > 20_000;
                }), "the recording grows: " + asAdmin().get(item).asString());
                Path file = Path.of(asAdmin().get(item).<String>path("path"));
                assertTrue(file.startsWith(config.recordings().dir()), file + " is on the recording volume");
                asAdmin().get(base(streamId)).then().statusCode(200).body("size()", equalTo(1))
                        .body("[0].id", equalTo(id));

                // Range requests over the file as it is now (it grows meanwhile: compare the first bytes only)
                Response partial = asAdmin().header("Range", "bytes=0-99").get(item + "/file");
                partial.then().statusCode(206).header("Accept-Ranges", "bytes");
                assertTrue(partial.header("Content-Range").startsWith("bytes 0-99/"), partial.header("Content-Range"));
                assertArrayEquals(Arrays.copyOf(Files.readAllBytes(file), 100), partial.asByteArray());
                Response middle = asAdmin().header("Range", "bytes=100-").get(item + "/file");
                middle.then().statusCode(206);
                long sizeThen = Long.parseLong(middle.header("Content-Range").replaceAll(".*/", ""));
                assertEquals(sizeThen - 100, middle.asByteArray().length, "bytes=100- serves the rest");
                asAdmin().header("Range", "bytes=999999999-").get(item + "/file").then().statusCode(416)
                        .header("Content-Range", org.hamcrest.Matchers.startsWith("bytes */"));
                asAdmin().get(item + "/file?part=7").then().statusCode(404).body("field", equalTo("part"));

                asAdmin().delete(item).then().statusCode(200).body("state", equalTo("finished"));
                Response whole = asAdmin().get(item + "/file");
                whole.then().statusCode(200).contentType("video/mp4");
                Path downloaded = workDir.resolve("downloaded.mp4");
                Files.write(downloaded, whole.asByteArray());
                assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(downloaded), "the whole file");
                assertTrue(FfmpegCli.decodeFile(downloaded, workDir).count() >= 30, "the download plays");
                long durationMs = asAdmin().get(item).<Number>path("durationMs").longValue();
                assertTrue(durationMs >= 1000, "durationMs " + durationMs);

                asAdmin().delete(item).then().statusCode(204);
                asAdmin().get(item).then().statusCode(404).body("field", equalTo("recordingId"));
                assertTrue(!Files.exists(file), "removed with its files");
            } finally {
                pipelines.stop(streamId);
            }
        }
    }

    @Test
    void aRecordOutputOfTheSpecRecordsFromTheStartAndEndsAtItsMaxDuration() throws Exception {
        String streamId = "spec" + System.nanoTime();
        SyntheticH264.Encoded encoded = SyntheticH264.encode(320, 240, 30, 90);
        try (PacketRingFeeder feeder = PacketRingFeeder.start(config.shmDir(), streamId, encoded)) {
            pipelines.start(spec(streamId, List.of(new OutputSpec("archive", "record:"))));
            try {
                assertTrue(Await.until(Duration.ofSeconds(30), () -> {
                    Integer bytes = asAdmin().get(base(streamId) + "/archive").path("bytes");
                    return bytes != null && bytes > 0;
                }), "record: output writes: " + asAdmin().get(base(streamId)).asString());
                asAdmin().get(base(streamId) + "/archive").then().statusCode(200).body("state", equalTo("recording"))
                        .body("rendition", equalTo("main")).body("format", equalTo("mp4"));
                asAdmin().delete(base(streamId) + "/archive").then().statusCode(409);

                String id = asAdmin().contentType("application/json").body("{\"maxDurationS\":2}").post(base(streamId))
                        .then().statusCode(201).extract().path("id");
                assertTrue(Await.until(Duration.ofSeconds(15), () -> "finished".equals(
                        asAdmin().get(base(streamId) + "/" + id).path("state"))), "ends by itself after 2 s");
            } finally {
                pipelines.stop(streamId);
            }
            asAdmin().get(base(streamId) + "/archive").then().statusCode(200).body("state", equalTo("finished"));
        }
    }
}
