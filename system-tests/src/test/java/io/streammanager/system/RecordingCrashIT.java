package io.streammanager.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.streammanager.bus.testing.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording of the demo stream through the packaged stack, started with the muxer's API; the muxer is then killed
 * with SIGKILL. The file it leaves plays (ffmpeg decodes it) up to within a fragment (1 s) of the kill, and its
 * ffprobe duration matches the wall clock from the first fragment to the kill.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordingCrashIT {
    private static final Logger LOG = Logger.getLogger(RecordingCrashIT.class);
    private static final java.time.format.DateTimeFormatter PART_TIME = java.time.format.DateTimeFormatter
            .ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    @TempDir
    static Path work;

    private LocalStack stack;

    @BeforeAll
    void start() throws Exception {
        stack = LocalStack.start(Map.of("MUXER_RECORDINGS_DIR", work.resolve("recordings").toString()));
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private RequestSpecification muxer() throws Exception {
        return RestAssured.given().baseUri("http://127.0.0.1:" + stack.muxerPort)
                .header("Authorization", "Bearer " + stack.adminToken());
    }

    @Test
    void aRecordingWhoseMuxerIsKilledPlaysToWithinAFragmentOfTheKill() throws Exception {
        String demoId = stack.api().get("/api/v1/streams").then().statusCode(200).extract()
                .path("find { it.name == 'demo' }.id");
        String id = muxer().contentType("application/json").body("{}").post("/api/v1/streams/" + demoId + "/recordings")
                .then().statusCode(201).extract().path("id");
        Path dir = work.resolve("recordings").resolve(demoId).resolve(id);
        Poll.await(Duration.ofSeconds(30), "the recording's first fragment is on disk", () -> partBytes(dir) > 2_000,
                () -> dir.toString());
        Thread.sleep(8_000);
        long muxerPid = stack.servicePids().get("muxer");
        ProcessHandle muxer = ProcessHandle.of(muxerPid).orElseThrow();
        long killedAtMs = System.currentTimeMillis();
        assertTrue(muxer.destroyForcibly(), "SIGKILL to the muxer");
        muxer.onExit().get(10, TimeUnit.SECONDS);
        Path part = firstPart(dir);
        // the part is named by the wall-clock instant the muxer opened it, at its first keyframe: media time 0
        double untilKill = (killedAtMs - PART_TIME.parse(part.getFileName().toString()
                .replaceAll("^part-(.*)\\.mp4$", "$1"), java.time.Instant::from).toEpochMilli()) / 1e3;

        double probed = videoSeconds(part);
        LOG.infof("recording killed %.2f s after its part started: ffprobe %.2f s", untilKill, probed);
        // at most the last fragment (1 s) is lost (a quarter second more for a loaded machine); and never more than
        // a second beyond the wall clock
        assertTrue(probed >= untilKill - 1.25 && probed <= untilKill + 1.0, "ffprobe " + probed + " s vs "
                + untilKill + " s from the part's start to the kill");
        Process decode = new ProcessBuilder(MediaTools.ffmpeg(), "-v", "error", "-i", part.toString(), "-f", "null", "-")
                .redirectErrorStream(true).redirectOutput(work.resolve("decode.log").toFile()).start();
        assertTrue(decode.waitFor(60, TimeUnit.SECONDS), "decode finishes");
        assertEquals(0, decode.exitValue(), Files.readString(work.resolve("decode.log")));
    }

    private static long partBytes(Path dir) {
        try {
            Path part = firstPart(dir);
            return part == null ? 0 : Files.size(part);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static Path firstPart(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().findFirst().orElse(null);
        }
    }

    /** ffprobe: the span of the video packets in the file. */
    private static double videoSeconds(Path file) throws Exception {
        Path out = work.resolve("probe.csv");
        Process probe = new ProcessBuilder(MediaTools.ffprobe(), "-v", "error", "-select_streams", "v:0",
                "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0", file.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "ffprobe finishes");
        List<Double> ends = new ArrayList<>();
        double first = Double.MAX_VALUE;
        for (String line : Files.readAllLines(out)) {
            String[] fields = line.strip().split(",");
            if (fields.length < 2 || fields[0].isEmpty() || fields[0].equals("N/A")) {
                continue;
            }
            double pts = Double.parseDouble(fields[0]);
            first = Math.min(first, pts);
            ends.add(pts + (fields[1].equals("N/A") ? 0 : Double.parseDouble(fields[1])));
        }
        assertTrue(!ends.isEmpty(), "video packets in " + file);
        return ends.stream().mapToDouble(Double::doubleValue).max().orElseThrow() - first;
    }
}
