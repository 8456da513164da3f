package io.streammanager.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.streammanager.bus.testing.NginxRtmp;
import io.streammanager.bus.testing.Poll;
import io.streammanager.bus.testing.RtmpNotifyEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A show that is changed while it is on air, with every part real: the packaged services started by the operator's
 * run script, two nginx-rtmp platform stand-ins that count publishes through {@code on_publish}, and ffmpeg players
 * that are not our code. The outputs a change does not name must not notice it: one publish, no gap in the video.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveControlIT {

    private static final Logger LOG = Logger.getLogger(LiveControlIT.class);
    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(20);
    private static final double MAX_GAP_SECONDS = 0.100;

    @TempDir
    static Path work;

    private LocalStack stack;
    private RtmpNotifyEndpoint notifyA;
    private RtmpNotifyEndpoint notifyB;
    private NginxRtmp platformA;
    private NginxRtmp platformB;

    @BeforeAll
    void start() throws Exception {
        notifyA = RtmpNotifyEndpoint.start();
        notifyB = RtmpNotifyEndpoint.start();
        platformA = NginxRtmp.start(work, "application live { live on; " + notifyA.onPublish() + " }");
        platformB = NginxRtmp.start(work, "application live { live on; " + notifyB.onPublish() + " }");
        stack = LocalStack.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        for (AutoCloseable closeable : new AutoCloseable[] {platformA, platformB, notifyA, notifyB}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void sceneBitrateAndOutputChangesLeaveTheUntouchedOutputsAlone() throws Exception {
        String body = """
                {"name":"show","video":{"width":640,"height":360,"fps":30},
                 "scene":{"layers":[{"type":"background","color":"#203040"},
                   {"type":"text","text":"before","x":20,"y":20,"size":32,"color":"#ffffff"}]},
                 "encoder":{"bitrateKbps":800,"keyframeIntervalSeconds":1},
                 "outputs":[{"id":"a","url":"%s"},{"id":"b","url":"%s"}]}
                """.formatted(platformA.url("live", "show-a"), platformB.url("live", "show-b"));
        String id = api().contentType(ContentType.JSON).body(body).post("/api/v1/streams")
                .then().statusCode(201).extract().path("id");
        Poll.await(APPLY_TIMEOUT, "both platforms see the stream", () -> notifyA.publishesOf("show-a") == 1
                && notifyB.publishesOf("show-b") == 1, () -> notifyA.publishes() + " " + notifyB.publishes());

        try (FfmpegPlayer onA = FfmpegPlayer.play(platformA.url("live", "show-a"), 100_000);
             FfmpegPlayer onGateway = FfmpegPlayer.play(stack.playUrl("show"), 100_000)) {
            assertTrue(onA.awaitFrames(30, Duration.ofSeconds(20)), "the player on platform A decodes: " + onA.tail());
            assertTrue(onGateway.awaitFrames(30, Duration.ofSeconds(20)), "the gateway player decodes: " + onGateway.tail());
            double droppedBefore = droppedFrames(id);
            List<String> timeline = new ArrayList<>();
            long t0 = System.nanoTime();

            patch(id, "{\"scene\":{\"layers\":[{\"type\":\"background\",\"color\":\"#402030\"},"
                    + "{\"type\":\"text\",\"text\":\"after {clock}\",\"x\":40,\"y\":60,\"size\":32,\"color\":\"#ffff00\"}]}}");
            awaitApplied(id, 2, "composition");
            timeline.add(stamp(t0, "scene changed (v2)"));

            patch(id, "{\"encoder\":{\"bitrateKbps\":1500}}");
            awaitApplied(id, 3, "encoder");
            timeline.add(stamp(t0, "bitrate 800 -> 1500 kbit/s (v3)"));

            api().contentType(ContentType.JSON)
                    .body("{\"id\":\"c\",\"url\":\"" + platformB.url("live", "show-c") + "\"}")
                    .post("/api/v1/streams/" + id + "/outputs").then().statusCode(201);
            Poll.await(APPLY_TIMEOUT, "the third output publishes", () -> notifyB.publishesOf("show-c") == 1,
                    notifyB::publishes);
            awaitOutputState(id, "c", "LIVE");
            timeline.add(stamp(t0, "output c added and live (v4)"));

            patchOutput(id, "c", "{\"enabled\":false}");
            awaitOutputState(id, "c", "PAUSED");
            timeline.add(stamp(t0, "output c paused (v5)"));

            patchOutput(id, "c", "{\"enabled\":true}");
            Poll.await(APPLY_TIMEOUT, "the resumed output publishes again", () -> notifyB.publishesOf("show-c") == 2,
                    notifyB::publishes);
            timeline.add(stamp(t0, "output c resumed (v6)"));

            api().delete("/api/v1/streams/" + id + "/outputs/b").then().statusCode(204);
            awaitApplied(id, 7, "muxer");
            timeline.add(stamp(t0, "output b deleted (v7)"));
            // keep watching for a while after the last change
            int seen = onA.frames().size();
            assertTrue(onA.awaitFrames(seen + 60, Duration.ofSeconds(10)), "A keeps playing: " + onA.tail());

            assertEquals(1, notifyA.publishesOf("show-a"), "platform A saw exactly one publish: " + notifyA.publishes());
            assertEquals(1, notifyB.publishesOf("show-b"), "b was published once until it was deleted");
            assertEquals(droppedBefore, droppedFrames(id), "the composition dropped no frame through the changes");
            String onAFigures = gaps("platform A", onA);
            String onGatewayFigures = gaps("gateway", onGateway);
            LOG.infof("live changes: %s; %s; %s", timeline, onAFigures, onGatewayFigures);
        }
        api().get("/api/v1/streams/" + id).then().statusCode(200);
        api().delete("/api/v1/streams/" + id).then().statusCode(204);
    }

    /** Checks one player's frames: decoded without errors, pts increasing, no gap over 100 ms; returns the figures. */
    private static String gaps(String where, FfmpegPlayer player) {
        List<FfmpegPlayer.Frame> frames = player.frames();
        assertEquals(List.of(), player.errors(), where + ": decode errors");
        double maxPtsGap = 0;
        double maxArrivalGapMs = 0;
        for (int i = 1; i < frames.size(); i++) {
            double gap = frames.get(i).ptsSeconds() - frames.get(i - 1).ptsSeconds();
            assertTrue(gap > 0, where + ": pts must increase at frame " + i + " (" + frames.get(i - 1).ptsSeconds()
                    + " then " + frames.get(i).ptsSeconds() + "): a new connection would start over");
            maxPtsGap = Math.max(maxPtsGap, gap);
            maxArrivalGapMs = Math.max(maxArrivalGapMs,
                    (frames.get(i).arrivalNanos() - frames.get(i - 1).arrivalNanos()) / 1e6);
        }
        assertTrue(maxPtsGap <= MAX_GAP_SECONDS, where + ": largest video gap " + maxPtsGap + " s over "
                + frames.size() + " frames");
        return String.format("%s: %d frames, largest pts gap %.1f ms, largest arrival gap %.0f ms", where,
                frames.size(), maxPtsGap * 1000, maxArrivalGapMs);
    }

    private RequestSpecification api() {
        return stack.api();
    }

    private void patch(String id, String mergePatch) {
        api().contentType("application/merge-patch+json").body(mergePatch).patch("/api/v1/streams/" + id)
                .then().statusCode(200);
    }

    private void patchOutput(String id, String outputId, String mergePatch) {
        api().contentType("application/merge-patch+json").body(mergePatch)
                .patch("/api/v1/streams/" + id + "/outputs/" + outputId).then().statusCode(200);
    }

    private void awaitApplied(String id, int version, String service) {
        Poll.await(APPLY_TIMEOUT, service + " applies version " + version, () -> {
            Integer applied = view(id).get("applied." + service);
            return applied != null && applied >= version;
        }, () -> view(id).prettify());
    }

    private void awaitOutputState(String id, String outputId, String state) {
        Poll.await(APPLY_TIMEOUT, "output " + outputId + " is " + state,
                () -> state.equals(view(id).getString("outputs.find { it.id == '" + outputId + "' }.status.state")),
                () -> view(id).prettify());
    }

    private JsonPath view(String id) {
        return api().get("/api/v1/streams/" + id).then().statusCode(200).extract().jsonPath();
    }

    private double droppedFrames(String id) {
        String metrics = api().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^composition_dropped_frames_total\\{[^}]*stream=\"" + id + "\"[^}]*} (\\S+)$",
                Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String stamp(long t0, String what) {
        return String.format("%+.1fs %s", (System.nanoTime() - t0) / 1e9, what);
    }
}
