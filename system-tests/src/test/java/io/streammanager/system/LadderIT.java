package io.streammanager.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A stream with an ABR ladder, every part real (the packaged services from the run script, FFmpeg's own ffprobe and
 * ffmpeg as players): the gateway carries each rendition under its own name, at its size and bitrate, with IDRs on the
 * same capture instants, and a VP9 rendition plays from it as Enhanced RTMP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LadderIT {

    private static final Logger LOG = Logger.getLogger(LadderIT.class);
    /** Fifteen seconds of video at 30 fps: enough whole GOPs (1 s) on both renditions, and a steady bitrate. */
    private static final int PACKETS = 450;
    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalStack stack;

    @BeforeAll
    void start() throws Exception {
        stack = LocalStack.start();
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** What ffprobe saw of one gateway stream's video. */
    private record Probe(String codec, int width, int height, long captureEpochUsAtZero, List<double[]> packets) {

        /** pts (s) of each keyframe. */
        List<Double> keyframePts() {
            return packets.stream().filter(p -> p[2] > 0).map(p -> p[0]).toList();
        }

        double bitrateBps() {
            double bits = packets.stream().mapToDouble(p -> p[1] * 8).sum();
            double spanS = packets.getLast()[0] - packets.getFirst()[0] + 1.0 / 30;
            return bits / spanS;
        }

        /** Capture instants (ms since the epoch) of the keyframes. */
        TreeSet<Long> keyframeCaptureMs() {
            TreeSet<Long> instants = new TreeSet<>();
            for (double pts : keyframePts()) {
                instants.add(Math.round(captureEpochUsAtZero / 1000.0 + pts * 1000));
            }
            return instants;
        }
    }

    @Test
    void everyRenditionReachesTheGatewayAtItsSizeAndBitrateWithAlignedIdrs() throws Exception {
        String body = """
                {"name":"abr","video":{"width":1280,"height":720,"fps":30},
                 "scene":{"layers":[{"type":"background","gradient":{"from":"#0f2027","to":"#2c5364","direction":"vertical"}},
                   {"type":"shape","shape":"rectangle","color":"#ff8800","width":160,"height":120,"speedX":240,"speedY":180},
                   {"type":"text","text":"ladder {clock} frame {frame}","x":40,"y":40,"size":36,"color":"#ffffff"}]},
                 "encoder":{"keyframeIntervalSeconds":1,"renditions":[
                   {"id":"hd","width":1280,"height":720,"bitrateKbps":2500},
                   {"id":"sd","width":640,"height":360,"bitrateKbps":800},
                   {"id":"vp9","width":640,"height":360,"bitrateKbps":600,"codec":"vp9"}]}}
                """;
        String id = stack.api().contentType(ContentType.JSON).body(body).post("/api/v1/streams")
                .then().statusCode(201).extract().path("id");
        try {
            // both renditions on the gateway first, so the two long reads below cover the same seconds
            probe(stack.playUrl("abr"), 1);
            probe(stack.playUrl("abr_sd"), 1);
            CompletableFuture<Probe> hd = probeAsync(stack.playUrl("abr"));
            CompletableFuture<Probe> sd = probeAsync(stack.playUrl("abr_sd"));
            Probe main = hd.get(120, TimeUnit.SECONDS);
            Probe low = sd.get(120, TimeUnit.SECONDS);

            assertEquals("h264", main.codec());
            assertEquals(1280, main.width());
            assertEquals(720, main.height());
            assertEquals(640, low.width());
            assertEquals(360, low.height());
            assertEquals(2_500_000, main.bitrateBps(), 2_500_000 * 0.15, "hd bitrate at the gateway");
            assertEquals(800_000, low.bitrateBps(), 800_000 * 0.15, "sd bitrate at the gateway");

            TreeSet<Long> hdIdrs = main.keyframeCaptureMs();
            TreeSet<Long> sdIdrs = low.keyframeCaptureMs();
            LOG.infof("hd epoch %d keyframes %s; sd epoch %d keyframes %s", main.captureEpochUsAtZero(),
                    main.keyframePts(), low.captureEpochUsAtZero(), low.keyframePts());
            // both players joined at about the same moment; compare the GOPs both saw whole
            long from = Math.max(hdIdrs.first(), sdIdrs.first());
            long to = Math.min(hdIdrs.last(), sdIdrs.last());
            List<Long> hdCommon = new ArrayList<>(hdIdrs.subSet(from, true, to, true));
            List<Long> sdCommon = new ArrayList<>(sdIdrs.subSet(from, true, to, true));
            assertTrue(hdCommon.size() >= 10, "ten GOPs or more in both: " + hdIdrs + " / " + sdIdrs);
            assertEquals(hdCommon.size(), sdCommon.size(), "the same IDRs: " + hdCommon + " / " + sdCommon);
            for (int i = 0; i < hdCommon.size(); i++) {
                // FLV timestamps are whole milliseconds on each connection
                assertEquals(hdCommon.get(i), sdCommon.get(i), 2, "IDR " + i + " at the same capture instant");
            }

            try (FfmpegPlayer vp9 = FfmpegPlayer.play(stack.playUrl("abr_vp9"), 90)) {
                assertEquals(0, vp9.await(Duration.ofSeconds(60)), "the VP9 rendition plays: " + vp9.tail());
                assertEquals(List.of(), vp9.errors(), "VP9 decodes cleanly");
                assertTrue(vp9.frames().size() >= 90, "frames decoded: " + vp9.frames().size());
                assertTrue(vp9.frames().stream().allMatch(f -> f.width() == 640 && f.height() == 360),
                        "VP9 at its size: " + vp9.tail());
            }
            LOG.infof("ladder at the gateway: hd %dx%d %.0f kbit/s, sd %dx%d %.0f kbit/s, %d common IDRs %s",
                    main.width(), main.height(), main.bitrateBps() / 1000, low.width(), low.height(),
                    low.bitrateBps() / 1000, hdCommon.size(), hdCommon);
        } finally {
            stack.api().delete("/api/v1/streams/" + id).then().statusCode(204);
        }
    }

    /** On a thread of its own: the common pool has one thread on a 2-core machine, which would serialise the reads. */
    private static CompletableFuture<Probe> probeAsync(String url) {
        CompletableFuture<Probe> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("ffprobe " + url).start(() -> {
            try {
                result.complete(probe(url, PACKETS));
            } catch (IOException | InterruptedException | RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** ffprobe's view of {@code count} video packets of a live RTMP stream, retried until the stream is there. */
    private static Probe probe(String url, int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            Process process = new ProcessBuilder(MediaTools.ffprobe(), "-v", "error", "-rw_timeout", "10000000",
                    "-select_streams", "v:0", "-read_intervals", "%+#" + count, "-show_packets",
                    "-show_entries", "packet=pts_time,size,flags:stream=codec_name,width,height:format_tags",
                    "-of", "json", url).redirectErrorStream(false).start();
            CompletableFuture<String> errors = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    errors.complete(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    errors.complete(e.toString());
                }
            });
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            last = errors.join();
            if (process.exitValue() == 0 && out.contains("\"packets\"")) {
                return parse(out);
            }
            Thread.sleep(500); // the rendition is not published yet: the gateway refused the play
        }
        throw new IllegalStateException("ffprobe never read " + url + ": " + last);
    }

    private static Probe parse(String json) throws IOException {
        JsonNode root = JSON.readTree(json);
        JsonNode stream = root.path("streams").path(0);
        List<double[]> packets = new ArrayList<>();
        for (JsonNode packet : root.path("packets")) {
            packets.add(new double[] {packet.path("pts_time").asDouble(), packet.path("size").asDouble(),
                    packet.path("flags").asText().startsWith("K") ? 1 : 0});
        }
        long epoch = root.path("format").path("tags").path("sm_capture_epoch_us").asLong(-1);
        assertTrue(epoch > 0, "the gateway stream carries its capture epoch: " + root.path("format"));
        return new Probe(stream.path("codec_name").asText(), stream.path("width").asInt(),
                stream.path("height").asInt(), epoch, packets);
    }
}
