package io.streammanager.composition.api;

import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.streammanager.bus.control.EventBus;
import io.streammanager.bus.control.EventTypes;
import io.streammanager.bus.shm.FrameRingReader;
import io.streammanager.bus.shm.FrameView;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.bus.testing.ExternalProcess;
import io.streammanager.bus.testing.FreePorts;
import io.streammanager.bus.testing.NginxRtmp;
import io.streammanager.bus.testing.Poll;
import io.streammanager.composition.config.CompositionConfig;
import io.streammanager.composition.stream.StreamRegistry;
import io.streammanager.composition.testing.RedisAndShmResource;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The must-show path with real parts: ffmpeg publishes a green test source with a 1 kHz tone to an RTMP server (nginx
 * with the RTMP module, standing in for our gateway), a stream places it as a video layer beside an uploaded PNG
 * and a text layer, and the frames are read straight from the frame ring (an independent reader of what the encoder
 * gets) to check colours at known points. Then a scene change with {@code applyAt} moves the video layer, the
 * publisher is killed (fallback after holdMs, the clock never stops) and comes back (live again within 3 s).
 */
@QuarkusTest
@WithTestResource(RedisAndShmResource.class)
class VideoLayerTest {

    private static final Logger LOG = Logger.getLogger(VideoLayerTest.class);
    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    private static final int FPS = 30;
    private static final int HOLD_MS = 1000;

    @Inject
    CompositionConfig config;

    @Inject
    StreamRegistry registry;

    @Inject
    EventBus events;

    private Path dir;
    private NginxRtmp nginx;
    private ExternalProcess publisher;

    @BeforeEach
    void startServer() throws Exception {
        dir = Files.createTempDirectory(Path.of("target"), "video-layer-");
        nginx = NginxRtmp.startLive(dir, FreePorts.next(), null);
    }

    @AfterEach
    void stopAll() throws Exception {
        AssetResourceTest.deleteStreamsAndAssets();
        if (publisher != null) {
            publisher.close();
        }
        if (nginx != null) {
            nginx.close();
        }
        try (var files = Files.walk(dir)) {
            for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private ExternalProcess publish() throws Exception {
        return ExternalProcess.start("publisher", dir, List.of("ffmpeg", "-hide_banner", "-loglevel", "error",
                "-re", "-f", "lavfi", "-i", "color=c=0x00ff00:s=320x240:r=" + FPS,
                "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-f", "flv", nginx.url("cam")));
    }

    static boolean green(int[] yuv) {
        // BT.709 limited range #00ff00: the source's BT.601 is converted to the canvas's matrix when scaled
        return Math.abs(yuv[0] - 173) <= 6 && Math.abs(yuv[1] - 42) <= 6 && Math.abs(yuv[2] - 26) <= 6;
    }

    static boolean red(int[] yuv) {
        return Math.abs(yuv[0] - 63) <= 3 && Math.abs(yuv[1] - 102) <= 3 && Math.abs(yuv[2] - 240) <= 3;
    }

    static boolean blue(int[] yuv) {
        return Math.abs(yuv[0] - 32) <= 3 && Math.abs(yuv[1] - 240) <= 3 && Math.abs(yuv[2] - 118) <= 3;
    }

    static boolean yellow(int[] yuv) {
        return yuv[0] > 200 && yuv[1] < 40 && yuv[2] > 120;
    }

    static int[] at(FrameView view, int x, int y) {
        long luma = (long) WIDTH * HEIGHT;
        long u = luma + (long) (y / 2) * (WIDTH / 2) + x / 2;
        return new int[] {view.pixels().get(JAVA_BYTE, (long) y * WIDTH + x) & 0xFF,
                view.pixels().get(JAVA_BYTE, u) & 0xFF, view.pixels().get(JAVA_BYTE, u + luma / 4) & 0xFF};
    }

    /** Reads frames until one satisfies {@code condition}; returns it (its pts and capture time) or fails. */
    private static FrameView until(FrameRingReader reader, FrameView view, Duration timeout, String what,
                                   Predicate<FrameView> condition, List<Long> ptsSeen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (reader.await(view, Duration.ofMillis(200).toNanos()) != FrameRingReader.FRAME) {
                continue;
            }
            if (ptsSeen != null) {
                ptsSeen.add(view.ptsUs());
            }
            if (condition.test(view) && reader.stillValid(view)) {
                return view;
            }
        }
        throw new AssertionError("no frame within " + timeout + " where " + what);
    }

    @Test
    void aPublishedSourceIsComposedBesideALogoMovedOnCueAndReplacedByItsFallbackWhileDown() throws Exception {
        publisher = publish();
        String logo = AssetResourceTest.upload(AssetResourceTest.png(64, 64, false), "image/png");
        String streamId = asAdmin().contentType(ContentType.JSON).body(spec(logo, 0, 0, null))
                .when().post("/api/v1/streams").then().statusCode(201).extract().path("id");
        Path ring = RingFiles.frameRing(config.shmDir(), streamId);
        try (FrameRingReader reader = FrameRingReader.open(ring, Duration.ofSeconds(5))) {
            FrameView view = new FrameView();

            // 1. the source in its box, the logo in its box (left half red, right half transparent), the background
            until(reader, view, Duration.ofSeconds(15), "the source is green in its box",
                    v -> green(at(v, 160, 90)), null);
            LOG.infof("source green in the ring: %s (BT.709 #00ff00 is [173, 42, 26])", java.util.Arrays.toString(at(view, 160, 90)));
            assertTrue(red(at(view, 400 + 16, 40 + 32)), "logo's opaque half: " + List.of(at(view, 416, 72)));
            assertTrue(blue(at(view, 400 + 48, 40 + 32)), "logo's transparent half shows the background");
            assertTrue(blue(at(view, 600, 340)), "background");
            asAdmin().get("/api/v1/streams/" + streamId).then().statusCode(200)
                    .body("sources.cam.state", org.hamcrest.Matchers.equalTo("live"))
                    // h264 here; h264_cuvid or h264_qsv where such a device exists (hw-decode auto)
                    .body("sources.cam.decoder", org.hamcrest.Matchers.startsWith("h264"));

            // 2. a scene change cued 3 s ahead moves the video and changes the text: the first frame at applyAt shows it
            long droppedBefore = registry.find(streamId).orElseThrow().stats().droppedFrames();
            long cue = view.ptsUs() + 3_000_000; // well after the PATCH has returned, even on a loaded machine
            asAdmin().contentType("application/merge-patch+json").body("{\"scene\":" + scene(logo, 300, 160, cue) + "}")
                    .when().patch("/api/v1/streams/" + streamId).then().statusCode(200);
            List<Long> pts = new java.util.ArrayList<>();
            FrameView moved = until(reader, view, Duration.ofSeconds(5), "the video shows at its new place",
                    v -> green(at(v, 300 + 160, 160 + 90)), pts);
            long frameUs = 1_000_000 / FPS;
            LOG.infof("moved in the frame at pts %d, cue %d (%+d us)", moved.ptsUs(), cue, moved.ptsUs() - cue);
            assertTrue(moved.ptsUs() >= cue - frameUs / 2 && moved.ptsUs() <= cue + 2 * frameUs,
                    "moved at pts " + moved.ptsUs() + ", cue " + cue);
            assertTrue(pts.stream().filter(p -> p < cue).count() > 0, "frames before the cue were seen");
            assertEquals(droppedBefore, registry.find(streamId).orElseThrow().stats().droppedFrames(),
                    "the clock dropped no frame around the change");

            // 3. the publisher dies: the last frame is held for holdMs, then the fallback colour shows
            publisher.kill();
            long killedNs = System.nanoTime();
            pts.clear();
            FrameView fallback = until(reader, view, Duration.ofSeconds(10), "the fallback colour shows",
                    v -> yellow(at(v, 300 + 160, 160 + 90)), pts);
            long fallbackAfterMs = (System.nanoTime() - killedNs) / 1_000_000;
            LOG.infof("fallback %d ms after the publisher was killed (holdMs %d)", fallbackAfterMs, HOLD_MS);
            assertTrue(fallbackAfterMs >= HOLD_MS - 100, "fallback came before holdMs: " + fallbackAfterMs);
            for (int i = 1; i < pts.size(); i++) {
                assertTrue(pts.get(i) - pts.get(i - 1) <= 100_000, "gap in the program at pts " + pts.get(i));
            }
            assertTrue(fallback.ptsUs() > 0);

            // 4. the publisher returns: the source is live again within 3 s
            publisher.close();
            publisher = publish();
            long returnedNs = System.nanoTime();
            until(reader, view, Duration.ofSeconds(10), "the source is back",
                    v -> green(at(v, 300 + 160, 160 + 90)), null);
            long backAfterMs = (System.nanoTime() - returnedNs) / 1_000_000;
            LOG.infof("source live again %d ms after the publisher returned", backAfterMs);
            assertTrue(backAfterMs <= 3000, "source back only after " + backAfterMs + " ms");

            // 5. the states were on the events feed and are in the metrics
            // (the watch reports within its period: poll for the last change)
            Poll.await(Duration.ofSeconds(3), "live, down and live again on the events feed", () -> {
                List<String> states = sourceStates(streamId);
                return states.contains("cam:live") && states.indexOf("cam:live") < states.lastIndexOf("cam:live")
                        && states.stream().anyMatch(st -> st.equals("cam:stalled") || st.equals("cam:ended")
                        || st.equals("cam:failed"));
            }, () -> sourceStates(streamId));
            String metrics = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(metrics.contains("composition_source_state{source=\"cam\",stream=\"" + streamId + "\"}"),
                    "state gauge");
            assertTrue(metrics.contains("composition_source_dropped_frames_total{"), "dropped-frames counter");
            assertTrue(metrics.contains("composition_source_decode_time_seconds_count{"), "decode time");
        }
    }

    @Test
    void anUploadedClipPlaysAsAVideoLayerAndLoops() throws Exception {
        byte[] clip = AssetResourceTest.ffmpegFile("loop.mp4", "-f", "lavfi", "-i", "color=c=0x00ff00:s=160x120:r=25",
                "-t", "1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
        String asset = asAdmin().contentType("video/mp4").body(clip).when().post("/api/v1/assets")
                .then().statusCode(201).extract().path("id");
        String body = """
                {"name":"clip","video":{"width":%d,"height":%d,"fps":%d},"scene":{"layers":[
                  {"type":"background","id":"bg","color":"#0000ff"},
                  {"type":"video","id":"clip","source":"asset:%s","loop":true,"x":100,"y":100,"width":160,"height":120,
                   "fallback":{"color":"#ffff00"}}]}}
                """.formatted(WIDTH, HEIGHT, FPS, asset);
        String streamId = asAdmin().contentType(ContentType.JSON).body(body).when().post("/api/v1/streams")
                .then().statusCode(201).extract().path("id");
        try (FrameRingReader reader = FrameRingReader.open(RingFiles.frameRing(config.shmDir(), streamId),
                Duration.ofSeconds(5))) {
            FrameView view = new FrameView();
            FrameView first = until(reader, view, Duration.ofSeconds(10), "the clip shows in its box",
                    v -> green(at(v, 180, 160)), null);
            long firstPts = first.ptsUs();
            // 2.5 s later the 1 s clip has looped twice and still shows: never the fallback
            FrameView later = until(reader, view, Duration.ofSeconds(10), "2.5 s of stream time later",
                    v -> v.ptsUs() >= firstPts + 2_500_000, null);
            assertTrue(green(at(later, 180, 160)), "the clip loops: " + java.util.Arrays.toString(at(later, 180, 160)));
            assertTrue(blue(at(later, 50, 50)));
        }
        asAdmin().get("/api/v1/streams/" + streamId).then().statusCode(200)
                .body("sources.clip.state", org.hamcrest.Matchers.equalTo("live"));
    }

    /** A camera switch on cue: the source on screen keeps playing until the cue, then the other one shows. */
    @Test
    void aCuedSourceSwitchKeepsTheCurrentSourceUntilItsCue() throws Exception {
        String green = clipAsset("0x00ff00");
        String red = clipAsset("0xff0000");
        String streamId = asAdmin().contentType(ContentType.JSON).body("""
                {"name":"switch","video":{"width":%d,"height":%d,"fps":%d},"scene":%s}
                """.formatted(WIDTH, HEIGHT, FPS, clipScene(green, null))).when().post("/api/v1/streams")
                .then().statusCode(201).extract().path("id");
        try (FrameRingReader reader = FrameRingReader.open(RingFiles.frameRing(config.shmDir(), streamId),
                Duration.ofSeconds(5))) {
            FrameView view = new FrameView();
            until(reader, view, Duration.ofSeconds(10), "the first clip shows", v -> green(at(v, 180, 160)), null);
            long cue = view.ptsUs() + 3_000_000;
            asAdmin().contentType("application/merge-patch+json").body("{\"scene\":" + clipScene(red, cue) + "}")
                    .when().patch("/api/v1/streams/" + streamId).then().statusCode(200);
            List<int[]> beforeCue = new java.util.ArrayList<>();
            FrameView switched = until(reader, view, Duration.ofSeconds(10), "the frame at the cue", v -> {
                if (v.ptsUs() < cue) {
                    beforeCue.add(at(v, 180, 160));
                }
                return v.ptsUs() >= cue + 2 * (1_000_000 / FPS);
            }, null);
            assertTrue(beforeCue.size() > 30, "frames before the cue: " + beforeCue.size());
            assertTrue(beforeCue.stream().allMatch(VideoLayerTest::green),
                    "the first clip plays until the cue, never its fallback");
            int[] after = at(switched, 180, 160);
            assertTrue(Math.abs(after[0] - 63) <= 8 && after[2] > 220, "the second clip from the cue: "
                    + java.util.Arrays.toString(after));
        }
    }

    private String clipAsset(String colour) throws Exception {
        byte[] clip = AssetResourceTest.ffmpegFile("clip-" + colour + ".mp4", "-f", "lavfi", "-i",
                "color=c=" + colour + ":s=160x120:r=25", "-t", "1", "-c:v", "libx264", "-preset", "ultrafast",
                "-pix_fmt", "yuv420p");
        return asAdmin().contentType("video/mp4").body(clip).when().post("/api/v1/assets")
                .then().statusCode(201).extract().path("id");
    }

    private static String clipScene(String asset, Long cue) {
        return """
                {"layers":[{"type":"background","id":"bg","color":"#0000ff"},
                  {"type":"video","id":"clip","source":"asset:%s","loop":true,"x":100,"y":100,"width":160,"height":120,
                   "holdMs":200,"fallback":{"color":"#ffff00"}}]%s}
                """.formatted(asset, cue == null ? "" : ",\"applyAt\":{\"ptsUs\":" + cue + "}");
    }

    private List<String> sourceStates(String streamId) {
        return events.readAfter("0-0", 1000).stream().map(Map.Entry::getValue)
                .filter(e -> EventTypes.SOURCE_STATE.equals(e.type()) && streamId.equals(e.streamId()))
                .map(e -> e.attributes().get("source") + ":" + e.attributes().get("state")).toList();
    }

    private String spec(String logo, int x, int y, Long applyAtPts) {
        return """
                {"name":"show","video":{"width":%d,"height":%d,"fps":%d},"scene":%s}
                """.formatted(WIDTH, HEIGHT, FPS, scene(logo, x, y, applyAtPts));
    }

    private String scene(String logo, int x, int y, Long applyAtPts) {
        return """
                {"layers":[{"type":"background","id":"bg","color":"#0000ff"},
                  {"type":"video","id":"cam","source":"%s","x":%d,"y":%d,"width":320,"height":180,
                   "holdMs":%d,"fallback":{"color":"#ffff00"}},
                  {"type":"image","id":"logo","source":"asset:%s","x":400,"y":40,"width":64,"height":64},
                  {"type":"text","id":"title","text":"%s","x":20,"y":300,"size":24,"color":"#ffffff"}]
                 %s}
                """.formatted(nginx.url("cam"), x, y, HOLD_MS, logo, applyAtPts == null ? "{name} {frame}" : "moved on cue",
                applyAtPts == null ? "" : ",\"applyAt\":{\"ptsUs\":" + applyAtPts + "}");
    }
}
