package io.streammanager.system;


import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.streammanager.bus.shm.FrameGeometry;
import io.streammanager.bus.shm.FrameRingReader;
import io.streammanager.bus.shm.FrameView;
import io.streammanager.bus.shm.RingFiles;

/**
 * The pipeline benchmark: CPU cost of one 1280x720 30 fps stream (veryfast, zerolatency, 2.5 Mbit/s) summed over the
 * four services, per second of video, beside Debian's ffmpeg encoding the very same frames (dumped from our frame
 * ring) with the same settings, measured in the same run. Not a test: it prints figures and asserts nothing.
 *
 * <p>Run with {@code bench/pipeline.sh [warmupSeconds] [windowSeconds]}.
 */
public final class PipelineBench {

    private static final Path DEBIAN_FFMPEG = Paths.get("/usr/bin/ffmpeg");
    private static final int DUMP_FRAMES = 300;
    private static final int SETTLE_SECONDS = 8;
    private static final int LATENCY_SECONDS = 10;

    private PipelineBench() {
    }

    public static void main(String[] args) throws Exception {
        Duration warmup = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 20);
        Duration window = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 30);
        Map<String, Double> cpuPerVideoSecond = new LinkedHashMap<>();
        Map<String, Long> rss = new LinkedHashMap<>();
        Path frames = Files.createTempFile(Paths.get("/dev/shm"), "sm-bench-frames-", ".yuv");
        FrameGeometry geometry;
        List<Long> latencyMs;
        try {
            try (LocalStack stack = LocalStack.start()) {
                String demoId = stack.api().when().get("/api/v1/streams")
                        .then().statusCode(200).extract().path("find { it.name == 'demo' }.id");
                try (FfmpegPlayer player = FfmpegPlayer.play(stack.playUrl("demo"), 30)) {
                    if (player.await(Duration.ofSeconds(20)) != 0) {
                        throw new IllegalStateException("demo does not play:\n" + player.tail() + stack.serviceLogs());
                    }
                }
                System.out.printf("warming up %d s, then measuring %d s%n", warmup.toSeconds(), window.toSeconds());
                Thread.sleep(warmup.toMillis());
                Map<String, Long> pids = new LinkedHashMap<>(stack.servicePids());
                pids.remove("redis");
                Map<String, Double> before = new LinkedHashMap<>();
                for (var e : pids.entrySet()) {
                    before.put(e.getKey(), ProcessCpu.cpuSeconds(e.getValue()));
                }
                long start = System.nanoTime();
                Thread.sleep(window.toMillis());
                double wallSeconds = (System.nanoTime() - start) / 1e9;
                for (var e : pids.entrySet()) {
                    double used = ProcessCpu.cpuSeconds(e.getValue()) - before.get(e.getKey());
                    cpuPerVideoSecond.put(e.getKey(), used / wallSeconds);
                    rss.put(e.getKey(), ProcessCpu.rssBytes(e.getValue()));
                }
                geometry = dumpFrames(RingFiles.frameRing(stack.shmDir, demoId), frames);
                try {
                    latencyMs = measureLatencyMs(stack);
                } catch (IllegalStateException e) {
                    System.out.println("latency not measured: " + e.getMessage());
                    latencyMs = List.of();
                }
            }
            double baselineYuv = debianFfmpegCpuPerVideoSecond(frames, geometry, "yuv420p");
            report(cpuPerVideoSecond, rss, baselineYuv);
            reportLatency(latencyMs);
        } finally {
            Files.deleteIfExists(frames);
        }
    }

    /**
     * End-to-end latency per frame: from the composition's capture time to the frame leaving the decoder of an ffmpeg
     * player on the gateway. The muxer announces, in the stream's metadata, the capture time of timestamp 0 on its
     * connection; with {@code -copyts} the player reports the stream's own timestamps, so capture time = that epoch +
     * pts. Frames of the first {@value #SETTLE_SECONDS} s are left out: they are the GOP cache's catch-up burst and
     * the player's probing backlog, not the steady state a viewer watches.
     */
    private static List<Long> measureLatencyMs(LocalStack stack) throws IOException, InterruptedException {
        int fps = 30;
        try (FfmpegPlayer player = FfmpegPlayer.play(stack.playUrl("demo"), fps * (SETTLE_SECONDS + LATENCY_SECONDS),
                List.of("-copyts"))) {
            if (player.await(Duration.ofSeconds(SETTLE_SECONDS + LATENCY_SECONDS + 30)) != 0) {
                throw new IllegalStateException("latency player failed:\n" + player.tail());
            }
            long epochAtZero = player.captureEpochUsAtZero();
            if (epochAtZero < 0) {
                throw new IllegalStateException("the stream's metadata has no sm_capture_epoch_us:\n" + player.tail());
            }
            long settledAfter = player.startNanos() + Duration.ofSeconds(SETTLE_SECONDS).toNanos();
            List<Long> latencies = new java.util.ArrayList<>();
            for (FfmpegPlayer.Frame frame : player.frames()) {
                if (frame.arrivalNanos() >= settledAfter) {
                    long captureUs = epochAtZero + Math.round(frame.ptsSeconds() * 1e6);
                    latencies.add(Math.round((frame.arrivalEpochUs() - captureUs) / 1000.0));
                }
            }
            return latencies;
        }
    }

    private static void reportLatency(List<Long> latencyMs) {
        List<Long> sorted = latencyMs.stream().sorted().toList();
        if (sorted.isEmpty()) {
            System.out.println("latency: no settled frames measured");
            return;
        }
        System.out.printf(Locale.ROOT, "End-to-end latency, capture -> decoded at an ffmpeg player (%d frames): "
                        + "median %d ms, p95 %d ms, min %d ms, max %d ms  (target: median < 100 ms)%n",
                sorted.size(), sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.95)),
                sorted.getFirst(), sorted.getLast());
    }

    /** Copies {@value #DUMP_FRAMES} consecutive frames of the live ring into a raw file, as the baseline's input. */
    private static FrameGeometry dumpFrames(Path ring, Path out) throws IOException {
        try (FrameRingReader reader = FrameRingReader.open(ring, Duration.ofSeconds(5));
             FileChannel channel = FileChannel.open(out, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            FrameView view = new FrameView();
            int written = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (written < DUMP_FRAMES && System.nanoTime() < deadline) {
                if (reader.await(view, Duration.ofMillis(200).toNanos()) != FrameRingReader.FRAME) {
                    continue;
                }
                long position = channel.position();
                channel.write(view.pixels().asByteBuffer());
                if (reader.stillValid(view)) {
                    written++;
                } else {
                    channel.position(position); // torn while copying: drop it
                }
            }
            if (written < DUMP_FRAMES) {
                throw new IllegalStateException("only " + written + " frames dumped from " + ring);
            }
            return reader.geometry();
        }
    }

    /** CPU seconds Debian's ffmpeg spends per second of video encoding the dumped frames like our encoder does. */
    private static double debianFfmpegCpuPerVideoSecond(Path frames, FrameGeometry geometry, String pixelFormat)
            throws IOException, InterruptedException {
        String encode = String.join(" ", List.of(DEBIAN_FFMPEG.toString(), "-hide_banner", "-nostdin", "-loglevel", "error",
                "-f", "rawvideo", "-pix_fmt", pixelFormat, "-s", geometry.width() + "x" + geometry.height(),
                "-r", Integer.toString(geometry.fps()), "-i", frames.toString(),
                "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-b:v", "2500k", "-maxrate", "2500k",
                "-bufsize", "2500k", "-g", Integer.toString(geometry.fps() * 2), "-sc_threshold", "0", "-bf", "0",
                "-f", "flv", "-y", "/dev/null"));
        // bash's `times` prints the CPU time of the finished child: the second line is "children user system"
        Processes.Result result = Processes.run(List.of("bash", "-c", encode + " && times"), Duration.ofMinutes(3));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("baseline ffmpeg failed:\n" + result.output());
        }
        String[] lines = result.output().trim().split("\n");
        String[] children = lines[lines.length - 1].trim().split("\\s+");
        double cpu = bashTime(children[0]) + bashTime(children[1]);
        return cpu / (DUMP_FRAMES / (double) geometry.fps());
    }

    private static double bashTime(String minutesSeconds) { // "0m1.234s"
        int m = minutesSeconds.indexOf('m');
        return Integer.parseInt(minutesSeconds.substring(0, m)) * 60
                + Double.parseDouble(minutesSeconds.substring(m + 1, minutesSeconds.length() - 1));
    }

    private static void report(Map<String, Double> cpu, Map<String, Long> rss, double baselineYuv) {
        double total = cpu.values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder out = new StringBuilder("\nPipeline CPU, one 1280x720 30 fps stream (veryfast, zerolatency, 2.5 Mbit/s)\n");
        out.append(String.format(Locale.ROOT, "%-24s %14s %10s%n", "process", "CPU-s / video-s", "RSS MB"));
        cpu.forEach((name, value) -> out.append(String.format(Locale.ROOT, "%-24s %14.3f %10.0f%n", name, value,
                rss.get(name) / 1e6)));
        out.append(String.format(Locale.ROOT, "%-24s %14.3f%n", "pipeline total", total));
        out.append(String.format(Locale.ROOT, "%-24s %14.3f%n", "debian ffmpeg (yuv420p)", baselineYuv));
        out.append(String.format(Locale.ROOT, "%-24s %14.2f  (target: total <= 0.35 CPU-s per video second)%n",
                "ratio total/ffmpeg", total / baselineYuv));
        System.out.println(out);
    }
}
