package io.streammanager.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.streammanager.bus.testing.FreePorts;
import io.streammanager.bus.testing.NginxRtmp;
import io.streammanager.bus.testing.Poll;
import io.streammanager.bus.testing.RtmpNotifyEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each pipeline service is killed with SIGKILL right after an update was accepted, before it could have applied it.
 * The run script starts it again, as Kubernetes would; when it is back the update is applied (the service resumes the
 * stored spec, which is the new version) and the view reports that version for it, with no error: never half done.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashDuringUpdateIT {

    private static final Logger LOG = Logger.getLogger(CrashDuringUpdateIT.class);
    private static final Duration BACK_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path work;

    private LocalStack stack;
    private RtmpNotifyEndpoint notify;
    private NginxRtmp platform;

    @BeforeAll
    void start() throws Exception {
        notify = RtmpNotifyEndpoint.start();
        platform = NginxRtmp.startLive(work, FreePorts.next(), notify.url());
        stack = LocalStack.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (platform != null) {
            platform.close();
        }
        if (notify != null) {
            notify.close();
        }
    }

    @Test
    void anUpdateInterruptedBySigkillIsAppliedWhenTheServiceIsBack() throws Exception {
        String body = """
                {"name":"crash","video":{"width":320,"height":240,"fps":30},
                 "scene":{"layers":[{"type":"background","color":"#102030"}]},
                 "encoder":{"bitrateKbps":600,"keyframeIntervalSeconds":1},
                 "outputs":[{"id":"a","url":"%s"}]}
                """.formatted(platform.url("crash-a"));
        String id = stack.api().contentType(ContentType.JSON).body(body).post("/api/v1/streams")
                .then().statusCode(201).extract().path("id");
        Poll.await(Duration.ofSeconds(30), "the platform sees the stream", () -> notify.publishesOf("crash-a") >= 1,
                notify::publishes);
        awaitApplied(id, 1, "encoder", "muxer", "composition");

        long killedAtNs = System.nanoTime();
        long encoderBefore = kill("encoder", () -> patch(id, "{\"encoder\":{\"bitrateKbps\":1200}}"));
        long muxerBefore = kill("muxer", () -> stack.api().contentType(ContentType.JSON)
                .body("{\"id\":\"b\",\"url\":\"" + platform.url("crash-b") + "\"}")
                .post("/api/v1/streams/" + id + "/outputs").then().statusCode(201));
        long compositionBefore = kill("composition", () -> patch(id,
                "{\"scene\":{\"layers\":[{\"type\":\"background\",\"color\":\"#301020\"}]}}"));

        Poll.await(BACK_TIMEOUT, "every killed service runs again", () -> {
            Map<String, Long> pids = pids();
            return !pids.get("encoder").equals(encoderBefore) && !pids.get("muxer").equals(muxerBefore)
                    && !pids.get("composition").equals(compositionBefore);
        }, this::pids);
        awaitApplied(id, 4, "encoder", "muxer", "composition");
        long appliedAfterMs = (System.nanoTime() - killedAtNs) / 1_000_000;
        JsonPath view = view(id);
        assertEquals(Map.of(), view.getMap("errors"), "nothing was reported as failed: " + view.prettify());
        assertEquals(1200, view.getInt("encoder.bitrateKbps"));
        Poll.await(Duration.ofSeconds(30), "the output added just before the muxer died publishes",
                () -> notify.publishesOf("crash-b") >= 1, notify::publishes);
        Poll.await(Duration.ofSeconds(30), "the first output is on air again after the muxer's restart",
                () -> "LIVE".equals(view(id).getString("outputs.find { it.id == 'a' }.status.state")),
                () -> view(id).prettify());
        LOG.infof("after three SIGKILLs, version 4 applied by all three services %d ms after the first kill: %s",
                appliedAfterMs, view(id).getMap("applied"));
        stack.api().delete("/api/v1/streams/" + id).then().statusCode(204);
    }

    /** Runs {@code update}, then SIGKILLs the service at once; returns the PID it had. */
    private long kill(String service, Runnable update) {
        long pid = pids().get(service);
        update.run();
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(service + " is not running"));
        assertTrue(handle.destroyForcibly(), "SIGKILL to " + service);
        handle.onExit().join();
        return pid;
    }

    private void patch(String id, String mergePatch) {
        stack.api().contentType("application/merge-patch+json").body(mergePatch).patch("/api/v1/streams/" + id)
                .then().statusCode(200);
    }

    private void awaitApplied(String id, int version, String... services) {
        Poll.await(BACK_TIMEOUT, "version " + version + " applied by " + String.join(", ", services), () -> {
            try {
                JsonPath view = view(id);
                for (String service : services) {
                    Integer applied = view.get("applied." + service);
                    if (applied == null || applied < version) {
                        return false;
                    }
                }
                return true;
            } catch (Exception | AssertionError restarting) { // the composition may be restarting: refused connections
                return false;
            }
        }, () -> {
            try {
                return view(id).prettify();
            } catch (Exception | AssertionError e) {
                return e.toString();
            }
        });
    }

    private JsonPath view(String id) {
        return stack.api().get("/api/v1/streams/" + id).then().statusCode(200).extract().jsonPath();
    }

    private Map<String, Long> pids() {
        try {
            return stack.servicePids();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
