package io.streammanager.muxer.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammanager.bus.testing.ExternalProcess;
import io.streammanager.muxer.testing.Await;
import io.streammanager.muxer.testing.FfmpegCli;
import io.streammanager.muxer.testing.SyntheticH264;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Recording outputs writing real fragmented MP4 with FFmpeg, read back with ffprobe and ffmpeg. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecordingSinkTest {
    private static SyntheticH264.Encoded encoded;

    @TempDir
    Path root;

    @BeforeAll
    static void encode() {
        encoded = SyntheticH264.encode(320, 240, 30, 90);
    }

    /** The part files of recording {@code id} of stream s1 as they are now. */
    private List<Path> parts(String id) {
        return new RecordingStore(root, new ObjectMapper()).parts("s1", id);
    }

    /** Waits for the first part to exist and returns when it appeared (nanoTime). */
    private long awaitFirstPart(String id) throws InterruptedException {
        assertTrue(Await.until(Duration.ofSeconds(30), () -> !parts(id).isEmpty()), "a part file appears");
        return System.nanoTime();
    }

    @Test
    void aRecordingPlaysAndItsDurationMatchesTheWallClock() throws Exception {
        long startedNs;
        long stoppedNs;
        try (RecorderHarness harness = new RecorderHarness(root, "wall", Duration.ofHours(1), encoded)) {
            startedNs = awaitFirstPart("wall");
            Thread.sleep(6_000); // the span recorded: what the assertion compares with
            stoppedNs = System.nanoTime();
        }
        double wallSeconds = (stoppedNs - startedNs) / 1e9;
        List<Path> parts = parts("wall");
        assertEquals(1, parts.size(), "one part: " + parts);
        double probed = Probe.videoSeconds(parts.getFirst());
        assertTrue(Math.abs(probed - wallSeconds) <= 1.0, "ffprobe " + probed + " s vs wall clock " + wallSeconds + " s");
        FfmpegCli.FrameMd5 decoded = FfmpegCli.decodeFile(parts.getFirst(), root);
        assertTrue(decoded.count() >= 150, "decodes about 6 s of 30 fps: " + decoded.count());
        assertTrue(decoded.ptsStrictlyIncreasing(), "frames in order");
        RecordingMeta meta = new RecordingStore(root, new ObjectMapper()).load("s1", "wall").orElseThrow();
        assertTrue(Math.abs(meta.durationMs() / 1000.0 - probed) <= 0.2, "metadata durationMs " + meta.durationMs()
                + " vs ffprobe " + probed);
    }

    @Test
    void aVp8RenditionIsRecordedAsWebmThatDecodesCleanly() throws Exception {
        SyntheticH264.Encoded vp8 = SyntheticH264.encodeVp8(320, 240, 30, 90);
        try (RecorderHarness harness = new RecorderHarness(root, "vp8", Duration.ofHours(1), vp8)) {
            awaitFirstPart("vp8");
            assertTrue(Await.until(Duration.ofSeconds(30), () -> RecordingStore.size(parts("vp8").getFirst()) > 50_000),
                    "the WebM grows");
        }
        Path part = parts("vp8").getFirst();
        assertTrue(part.getFileName().toString().endsWith(".webm"), part.toString());
        FfmpegCli.Result decoded = FfmpegCli.run(List.of(FfmpegCli.executable(), "-v", "error", "-xerror", "-i",
                part.toString(), "-f", "null", "-"), Duration.ofSeconds(30));
        assertEquals(0, decoded.exitCode(), "decodes without an error: " + decoded.output());
        assertTrue(decoded.output().isBlank(), "no decoder complaint: " + decoded.output());
        assertTrue(FfmpegCli.decodeFile(part, root).count() >= 30, "frames decoded");
    }

    @Test
    void partsSplitAtTheFirstKeyframeAfterTheSegmentLengthAndEachPlaysFromZero() throws Exception {
        try (RecorderHarness harness = new RecorderHarness(root, "split", Duration.ofSeconds(2), encoded)) {
            awaitFirstPart("split");
            assertTrue(Await.until(Duration.ofSeconds(30), () -> parts("split").size() >= 4), "parts: " + parts("split"));
        }
        List<Path> parts = parts("split");
        for (Path part : parts.subList(0, parts.size() - 1)) {
            double seconds = Probe.videoSeconds(part);
            // GOPs of 1 s: a part is cut at the first keyframe at or after 2 s, so every full part is 2 s
            assertTrue(seconds >= 1.9 && seconds <= 2.1, part.getFileName() + ": " + seconds + " s");
            FfmpegCli.FrameMd5 decoded = FfmpegCli.decodeFile(part, root);
            assertTrue(decoded.count() >= 57, part.getFileName() + " decodes: " + decoded.count());
            assertTrue(decoded.firstPts() <= 1, part.getFileName() + " starts at 0: " + decoded.firstPts());
        }
    }

    @Test
    void aRecorderKilledWithSigkillLeavesAFileThatPlaysToWithinAFragmentOfTheKill() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        try (ExternalProcess recorder = ExternalProcess.start("recorder", root, List.of(java, "-cp",
                System.getProperty("java.class.path"), RecorderHarness.class.getName(), root.toString()))) {
            assertTrue(Await.until(Duration.ofSeconds(60), () -> !parts("crash").isEmpty() || !recorder.alive()),
                    "the recorder writes: " + recorder.tail());
            long firstPartNs = System.nanoTime();
            Thread.sleep(5_000);
            long killedNs = System.nanoTime();
            recorder.kill();
            double untilKill = (killedNs - firstPartNs) / 1e9;
            List<Path> parts = parts("crash");
            assertEquals(1, parts.size(), "one part");
            double probed = Probe.videoSeconds(parts.getFirst());
            // fragments are cut at every keyframe (1 s GOPs here) or after 1 s: at most one is lost, plus the
            // second the wall clock may run ahead of the first fragment's write
            assertTrue(probed >= untilKill - 2.0 && probed <= untilKill + 0.5, "plays " + probed
                    + " s of the " + untilKill + " s recorded before the kill");
            FfmpegCli.FrameMd5 decoded = FfmpegCli.decodeFile(parts.getFirst(), root);
            assertTrue(decoded.count() >= (int) ((untilKill - 2.0) * 30), "decodes " + decoded.count() + " frames");
        }
    }
}
