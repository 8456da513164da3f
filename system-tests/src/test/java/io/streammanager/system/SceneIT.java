package io.streammanager.system;

import static io.streammanager.system.ProgramSignal.Colour.DARK;
import static io.streammanager.system.ProgramSignal.Colour.GREEN;
import static io.streammanager.system.ProgramSignal.Colour.MAGENTA;
import static io.streammanager.system.ProgramSignal.Colour.RED;
import static io.streammanager.system.ProgramSignal.Colour.WHITE;
import static io.streammanager.system.ProgramSignal.Colour.YELLOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.streammanager.bus.testing.ExternalProcess;
import io.streammanager.bus.testing.NginxRtmp;
import io.streammanager.bus.testing.Poll;
import io.streammanager.bus.testing.RtmpNotifyEndpoint;
import io.streammanager.system.ProgramSignal.Colour;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real show end to end: ffmpeg publishes a camera stand-in (green, with a white box and a 1 kHz tone switched on
 * together for the first half of every second) to our gateway with a stream key; a stream composes it as a video
 * layer at half volume beside an uploaded PNG logo and a text plate, and pushes the program to an nginx-rtmp platform
 * stand-in and to the gateway. An independent ffmpeg player decodes the program from the gateway: colours at known
 * points, the tone's frequency and level, and picture/sound sync. Then a cued scene change, the publisher's death
 * (hold, then fallback) and its return, while the platform keeps one publish without a gap.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SceneIT {

    private static final Logger LOG = Logger.getLogger(SceneIT.class);
    private static final int FPS = 30;
    private static final double FRAME_S = 1.0 / FPS;
    /** The player's pictures: the 640x360 program scaled by ten, so canvas (x, y) is grid (x / 10, y / 10). */
    private static final int GRID_W = 64;
    private static final int GRID_H = 36;
    private static final int RATE = 48_000;
    private static final double VOLUME = 0.5;
    /** The publisher's tone peaks at 0.5 full scale: RMS 0.5/sqrt(2), then the layer's volume. */
    private static final double EXPECTED_DBFS = ProgramSignal.dbfs(0.5 / Math.sqrt(2) * VOLUME);
    private static final int HOLD_MS = 1000;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path work;

    private LocalStack stack;
    private RtmpNotifyEndpoint notify;
    private NginxRtmp platform;
    private ExternalProcess publisher;
    private String publishUrl;

    @BeforeAll
    void start() throws Exception {
        notify = RtmpNotifyEndpoint.start();
        platform = NginxRtmp.start(work, "application live { live on; " + notify.onPublish() + " }");
        stack = LocalStack.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (publisher != null) {
            publisher.close();
        }
        if (stack != null) {
            stack.close();
        }
        for (AutoCloseable closeable : new AutoCloseable[] {platform, notify}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void aPublishedCameraIsComposedWithItsSoundChangedOnCueAndCoveredWhileDown() throws Exception {
        String secret = RestAssured.given().baseUri("http://127.0.0.1:" + stack.gatewayApiPort)
                .header("Authorization", "Bearer " + stack.adminToken()).contentType(ContentType.JSON)
                .body("{\"streamName\":\"cam\",\"scopes\":[\"publish\"]}").post("/api/v1/keys")
                .then().statusCode(201).extract().path("secret");
        publishUrl = stack.playUrl("cam") + "?key=" + secret;
        publisher = publish();
        String logo = stack.api().contentType("image/png").body(redPng(128, 64)).post("/api/v1/assets")
                .then().statusCode(201).extract().path("id");
        String id = stack.api().contentType(ContentType.JSON).body("""
                {"name":"show","video":{"width":640,"height":360,"fps":30},
                 "scene":%s,
                 "encoder":{"bitrateKbps":1500,"keyframeIntervalSeconds":1},
                 "outputs":[{"id":"platform","url":"%s"}]}
                """.formatted(scene(logo, 0, 0, "#2040c0", "A", null), platform.url("live", "show")))
                .post("/api/v1/streams").then().statusCode(201).extract().path("id");
        Poll.await(TIMEOUT, "the camera is live in the composition", () -> "live".equals(sourceState(id)),
                () -> view(id).prettify());
        Poll.await(TIMEOUT, "the platform sees the show", () -> notify.publishesOf("show") == 1, notify::publishes);

        try (FfmpegPlayer onPlatform = FfmpegPlayer.play(platform.url("live", "show"), 1_000_000)) {
            assertTrue(onPlatform.awaitFrames(30, TIMEOUT), "the platform plays: " + onPlatform.tail());

            // 1. what an independent player decodes: colours at known points, the tone, and sync
            double droppedAtStart = droppedFrames(id);
            Program steady = capture("steady", 6);
            checkLayout(steady);
            LOG.infof("composition dropped %.0f frames over the steady capture (%.0f before it)",
                    droppedFrames(id) - droppedAtStart, droppedAtStart);

            // 2. a cued change moves the camera to the bottom right and turns the text plate yellow
            double droppedBefore = droppedFrames(id);
            long cueEpochMs = System.currentTimeMillis() + 3000;
            stack.api().contentType("application/merge-patch+json")
                    .body("{\"scene\":" + scene(logo, 320, 180, "#e0e000", "B", cueEpochMs) + "}")
                    .patch("/api/v1/streams/" + id).then().statusCode(200);
            Program change = capture("change", 7);
            checkCue(change, cueEpochMs);
            assertEquals(droppedBefore, droppedFrames(id), "the composition dropped no frame through the change");

            // 3. the camera's publisher dies: its last frame is held for holdMs, then the fallback colour shows
            long killedEpochMs = System.currentTimeMillis();
            publisher.kill();
            Program down = capture("down", 5);
            checkFallback(down, killedEpochMs);

            // 4. it comes back: live again within 3 s
            publisher.close();
            long returnedNs = System.nanoTime();
            publisher = publish();
            Poll.await(Duration.ofSeconds(10), "the camera is live again", () -> "live".equals(sourceState(id)),
                    () -> view(id).prettify());
            long backMs = (System.nanoTime() - returnedNs) / 1_000_000;
            LOG.infof("camera live again %d ms after its publisher was restarted", backMs);
            assertTrue(backMs <= 3000, "live again only after " + backMs + " ms");

            int seen = onPlatform.frames().size();
            assertTrue(onPlatform.awaitFrames(seen + 30, TIMEOUT), "the platform keeps playing: " + onPlatform.tail());
            assertEquals(1, notify.publishesOf("show"), "one publish on the platform: " + notify.publishes());
            LOG.info(gaps("platform", onPlatform.frames()));
            assertEquals(List.of(), onPlatform.errors(), "platform player decode errors");

            // the sound of the steady part, checked last so that a failure here still shows the picture's figures
            checkSound(steady);
            checkSync(steady);
        }
        stack.api().delete("/api/v1/streams/" + id).then().statusCode(204);
    }

    /** The decoded program: pictures in order with their pts, the left channel from stream time 0. */
    private record Program(List<FfmpegPlayer.Frame> frames, List<byte[]> pictures, float[] sound,
                           long captureEpochUsAtZero) {

        Colour at(int frame, int canvasX, int canvasY) {
            return ProgramSignal.colourAt(pictures.get(frame), GRID_W, canvasX / 10, canvasY / 10);
        }

        double pts(int frame) {
            return frames.get(frame).ptsSeconds();
        }

        long captureEpochUs(int frame) {
            return captureEpochUsAtZero + Math.round(pts(frame) * 1e6);
        }
    }

    private Program capture(String name, int seconds) throws Exception {
        Path pictures = work.resolve(name + ".rgb");
        Path sound = work.resolve(name + ".pcm");
        try (FfmpegPlayer player = FfmpegPlayer.capture(stack.playUrl("show"), seconds, GRID_W, GRID_H, pictures,
                sound)) {
            int exit = player.await(Duration.ofSeconds(seconds + 30L));
            assertEquals(0, exit, name + ": the player ends cleanly: " + player.tail());
            assertEquals(List.of(), player.errors(), name + ": decode errors");
            byte[] all = Files.readAllBytes(pictures);
            int pictureBytes = GRID_W * GRID_H * 3;
            // showinfo runs before the output's -t cut: it may list a few frames more than the file holds
            int pictureCount = all.length / pictureBytes;
            assertEquals(0, all.length % pictureBytes, name + ": whole pictures");
            assertTrue(player.frames().size() >= pictureCount, name + ": a pts for every picture: " + pictureCount
                    + " pictures, " + player.frames().size() + " pts; " + player.tail());
            List<FfmpegPlayer.Frame> frames = player.frames().subList(0, pictureCount);
            List<byte[]> split = new ArrayList<>();
            for (int i = 0; i < frames.size(); i++) {
                split.add(java.util.Arrays.copyOfRange(all, i * pictureBytes, (i + 1) * pictureBytes));
            }
            ByteBuffer pcm = ByteBuffer.wrap(Files.readAllBytes(sound)).order(ByteOrder.LITTLE_ENDIAN);
            float[] left = new float[pcm.remaining() / 4];
            for (int i = 0; i < left.length; i++) {
                left[i] = pcm.getShort(4 * i) / 32768f;
            }
            assertTrue(player.captureEpochUsAtZero() > 0, name + ": the stream's capture clock is announced");
            LOG.infof("%s: %d pictures from pts %.3f s, sound up to %.2f s", name, frames.size(),
                    frames.isEmpty() ? 0 : frames.getFirst().ptsSeconds(), left.length / (double) RATE);
            assertTrue(frames.size() >= seconds * FPS * 0.8, name + ": frames decoded: " + frames.size());
            return new Program(frames, split, left, player.captureEpochUsAtZero());
        }
    }

    /** The camera in its box (green, away from its flashing corner), the logo in its box, the background around. */
    private static void checkLayout(Program program) {
        int frames = program.frames().size();
        int ok = 0;
        for (int i = 0; i < frames; i++) {
            if (program.at(i, 240, 130) == GREEN && program.at(i, 544, 52) == RED && program.at(i, 400, 300) == DARK) {
                ok++;
            }
        }
        LOG.infof("layout: %d of %d pictures show camera, logo and background where they belong", ok, frames);
        assertTrue(ok >= frames * 0.95, "camera green at (240,130), logo red at (544,52), background dark at "
                + "(400,300) in " + ok + " of " + frames + " pictures; first: " + program.at(0, 240, 130) + " "
                + program.at(0, 544, 52) + " " + program.at(0, 400, 300));
    }

    /** The tone is 1 kHz, at the level the layer's volume sets. */
    private static void checkSound(Program program) {
        float[] sound = program.sound();
        int window = RATE / 20;
        List<Double> levels = new ArrayList<>();
        int tonal = 0;
        for (int start = 0; start + window <= sound.length; start += window) {
            double level = ProgramSignal.rms(sound, start, window);
            if (ProgramSignal.dbfs(level) < EXPECTED_DBFS - 10) {
                continue; // the silent half of the second, or an edge
            }
            levels.add(ProgramSignal.dbfs(level));
            double at1k = ProgramSignal.power(sound, start, window, RATE, 1000);
            if (at1k > 100 * ProgramSignal.power(sound, start, window, RATE, 700)
                    && at1k > 100 * ProgramSignal.power(sound, start, window, RATE, 1500)) {
                tonal++;
            }
        }
        assertTrue(levels.size() >= 20, "the tone is heard: " + levels.size() + " loud 50 ms windows");
        List<Double> sorted = levels.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2);
        LOG.infof("sound: %d loud windows, %d dominated by 1 kHz; median level %.2f dBFS (expected %.2f at volume %.1f)",
                levels.size(), tonal, median, EXPECTED_DBFS, VOLUME);
        assertTrue(tonal >= levels.size() * 0.9, "1 kHz dominates " + tonal + " of " + levels.size() + " windows");
        assertEquals(EXPECTED_DBFS, median, 1.5, "the level the layer's volume sets");
    }

    /** The white box and the tone switch on together at the publisher: they must still be within one frame. */
    private static void checkSync(Program program) {
        List<Boolean> flash = new ArrayList<>();
        for (int i = 0; i < program.frames().size(); i++) {
            flash.add(program.at(i, 80, 40) == WHITE);
        }
        List<Integer> pictureOnsets = ProgramSignal.pictureOnsets(flash);
        double onLevel = Math.pow(10, (EXPECTED_DBFS - 3) / 20);
        List<Integer> soundOnsets = ProgramSignal.soundOnsets(program.sound(), RATE / 200, onLevel);
        List<Double> offsetsMs = new ArrayList<>();
        for (int frame : pictureOnsets) {
            double pictureS = program.pts(frame);
            double nearest = Double.MAX_VALUE;
            for (int sample : soundOnsets) {
                double soundS = sample / (double) RATE;
                if (Math.abs(soundS - pictureS) < Math.abs(nearest)) {
                    nearest = soundS - pictureS;
                }
            }
            if (nearest != Double.MAX_VALUE) {
                offsetsMs.add(nearest * 1000);
            }
        }
        LOG.infof("sync: picture onsets %d, sound onsets %d, sound minus picture (ms): %s", pictureOnsets.size(),
                soundOnsets.size(), offsetsMs.stream().map(o -> String.format("%+.1f", o)).toList());
        assertTrue(offsetsMs.size() >= 3, "flashes paired with beeps: " + offsetsMs);
        for (double offset : offsetsMs) {
            assertTrue(Math.abs(offset) <= FRAME_S * 1000, "picture and sound within one frame: " + offsetsMs);
        }
    }

    /** The first picture at the new layout is the first one captured at or after the cue (give or take 2 frames). */
    private static void checkCue(Program program, long cueEpochMs) {
        int first = -1;
        for (int i = 0; i < program.frames().size(); i++) {
            if (program.at(i, 480, 270) == GREEN && program.at(i, 240, 130) != GREEN) {
                first = i;
                break;
            }
        }
        assertTrue(first > 0, "the change shows, with pictures before it");
        long offsetUs = program.captureEpochUs(first) - cueEpochMs * 1000;
        LOG.infof("cue: moved in the picture captured %+.1f ms after applyAt", offsetUs / 1000.0);
        assertTrue(offsetUs >= -FRAME_S * 1e6 / 2 && offsetUs <= 2 * FRAME_S * 1e6,
                "moved within 2 frames of applyAt: " + offsetUs + " us");
        assertEquals(YELLOW, program.at(first, 600, 320), "the text plate changed in the same picture");
        assertEquals(GREEN, program.at(first - 1, 240, 130), "the picture before the cue is the old layout");
        LOG.info(gaps("gateway through the change", program.frames()));
    }

    /** The held last frame, then the fallback colour after holdMs, with the program never stopping. */
    private static void checkFallback(Program program, long killedEpochMs) {
        int first = -1;
        for (int i = 0; i < program.frames().size(); i++) {
            if (program.at(i, 480, 270) == MAGENTA) {
                first = i;
                break;
            }
        }
        assertTrue(first >= 0, "the fallback shows");
        long afterMs = program.captureEpochUs(first) / 1000 - killedEpochMs;
        LOG.infof("fallback in the picture captured %d ms after the publisher was killed (holdMs %d)", afterMs, HOLD_MS);
        assertTrue(afterMs >= HOLD_MS - 2 * FRAME_S * 1000, "not before holdMs: " + afterMs + " ms");
        assertTrue(afterMs <= HOLD_MS + 1500, "soon after holdMs: " + afterMs + " ms");
        LOG.info(gaps("gateway while the camera is down", program.frames()));
    }

    /** Fails on a pts gap over 100 ms or pts going back; returns the figures. */
    private static String gaps(String where, List<FfmpegPlayer.Frame> frames) {
        double largest = 0;
        for (int i = 1; i < frames.size(); i++) {
            double gap = frames.get(i).ptsSeconds() - frames.get(i - 1).ptsSeconds();
            assertTrue(gap > 0, where + ": pts go back at frame " + i);
            largest = Math.max(largest, gap);
        }
        // 100 ms itself is allowed ("no gap over 100 ms"); pts are in milliseconds, so compare with a margin below one
        assertTrue(largest <= 0.1005, where + ": largest gap " + largest + " s");
        return String.format("%s: %d frames, largest pts gap %.1f ms", where, frames.size(), largest * 1000);
    }

    private ExternalProcess publish() throws Exception {
        // the box and the tone switch on together, for the first half of every second
        String on = "lt(mod(t,1),0.5)"; // quoted below: the filtergraph parser then leaves its commas alone
        return ExternalProcess.start("publisher", work, List.of(MediaTools.ffmpeg(), "-hide_banner", "-loglevel",
                "error", "-re", "-f", "lavfi", "-i", "color=c=0x00ff00:s=640x360:r=" + FPS
                        + ",drawbox=x=0:y=0:w=320:h=180:color=white:t=fill:enable='" + on + "'",
                "-f", "lavfi", "-i", "aevalsrc='0.5*sin(2*PI*1000*t)*" + on + "':s=" + RATE + ":c=stereo",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "128k", "-f", "flv", publishUrl));
    }

    private String scene(String logo, int camX, int camY, String plate, String text, Long cueEpochMs) {
        return """
                {"layers":[{"type":"background","color":"#101010"},
                  {"type":"video","id":"cam","source":"%s","x":%d,"y":%d,"width":320,"height":180,
                   "volume":%s,"holdMs":%d,"fallback":{"color":"#ff00ff"}},
                  {"type":"image","id":"logo","source":"asset:%s","x":480,"y":20,"width":128,"height":64},
                  {"type":"text","id":"title","text":"%s","x":560,"y":300,"width":80,"height":40,"size":24,
                   "color":"#000000","plate":"%s"}]%s}
                """.formatted(stack.playUrl("cam"), camX, camY, VOLUME, HOLD_MS, logo, text, plate,
                cueEpochMs == null ? "" : ",\"applyAt\":{\"epochMs\":" + cueEpochMs + "}");
    }

    private static byte[] redPng(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(new Color(255, 0, 0, 255));
        g.fillRect(0, 0, width, height);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private String sourceState(String id) {
        return view(id).getString("sources.cam.state");
    }

    private JsonPath view(String id) {
        return stack.api().get("/api/v1/streams/" + id).then().statusCode(200).extract().jsonPath();
    }

    private double droppedFrames(String id) {
        String metrics = stack.api().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^composition_dropped_frames_total\\{[^}]*stream=\"" + id + "\"[^}]*} (\\S+)$",
                Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
