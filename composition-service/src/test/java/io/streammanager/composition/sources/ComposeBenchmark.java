package io.streammanager.composition.sources;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.streammanager.bus.control.spec.ImageLayer;
import io.streammanager.bus.control.spec.SceneSpec;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.TextLayer;
import io.streammanager.bus.control.spec.VideoLayer;
import io.streammanager.bus.control.spec.VideoSpec;
import io.streammanager.composition.clock.ClockListener;
import io.streammanager.composition.clock.FrameClock;
import io.streammanager.composition.clock.FrameSink;
import io.streammanager.composition.scene.I420Frame;
import io.streammanager.composition.scene.SceneCompiler;
import io.streammanager.composition.scene.SceneMedia;
import io.streammanager.composition.scene.SceneRenderer;
import io.streammanager.composition.scene.VideoFeed;
import java.awt.image.BufferedImage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/**
 * bench/compose.sh's composition side: one 1280x720 H.264 file as a video layer (decoded at its own pace, as a
 * live source would arrive), a PNG logo and a text layer, composed at 30 fps into a 1280x720 canvas by the real
 * frame clock for the file's duration. One JVM, warmed up once (a composition service runs for hours: its per-frame
 * code is compiled, which takes minutes of frames at 30 calls a second, so the warm-up clock runs at 300 fps and the
 * warm-up source is decoded unpaced), then {@code rounds} measured passes, each followed at once by the baseline
 * command (Debian's ffmpeg on the same file) timed with {@code /usr/bin/time}, so both sides of a round see the same machine load. Prints per round the process CPU per
 * video second of both sides, the frame age (a decoded frame's arrival to the clock taking it), the render time and
 * the decode time.
 *
 * <p>Usage: {@code ComposeBenchmark <input.mp4> <logo.png> <seconds> <warm-up seconds> <rounds> <baseline command...>}
 */
public final class ComposeBenchmark {

    public static void main(String[] args) throws Exception {
        Path input = Path.of(args[0]);
        BufferedImage logo = ImageIO.read(Path.of(args[1]).toFile());
        double seconds = Double.parseDouble(args[2]);
        double warmupSeconds = Double.parseDouble(args[3]);
        int rounds = Integer.parseInt(args[4]);
        List<String> baseline = List.of(args).subList(5, args.length);
        // JIT, FFmpeg's first open, fonts; the clock at ten times the rate, so that the per-frame code a service has
        // compiled after some minutes (C2 wants thousands of calls) is compiled here within the warm-up
        run(input, logo, warmupSeconds, false);
        for (int round = 1; round <= rounds; round++) {
            System.out.printf("== round %d/%d%n", round, rounds);
            double compose = run(input, logo, seconds, true);
            double ffmpeg = baselineCpuSeconds(baseline) / seconds;
            System.out.printf("ffmpeg_cpu_per_video_second=%.4f%n", ffmpeg);
            System.out.printf("cpu_ratio_composition_to_ffmpeg=%.2f (round %d)%n", compose / ffmpeg, round);
        }
        System.exit(0);
    }

    /** Runs the baseline under {@code /usr/bin/time}; its user + system CPU seconds. */
    private static double baselineCpuSeconds(List<String> command) throws Exception {
        Path times = java.nio.file.Files.createTempFile("sm-compose-baseline", ".time");
        try {
            List<String> timed = new java.util.ArrayList<>(List.of("/usr/bin/time", "-f", "%U %S", "-o",
                    times.toString()));
            timed.addAll(command);
            Process process = new ProcessBuilder(timed).inheritIO().start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("baseline exited with " + process.exitValue() + ": " + command);
            }
            String[] fields = java.nio.file.Files.readString(times).trim().split("\\s+");
            return Double.parseDouble(fields[fields.length - 2]) + Double.parseDouble(fields[fields.length - 1]);
        } finally {
            java.nio.file.Files.deleteIfExists(times);
        }
    }

    /** One pass; returns the process CPU seconds per video second it took. */
    private static double run(Path input, BufferedImage logo, double seconds, boolean report) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SourceMeters meters = new SourceMeters(registry, "bench", "cam");
        // software decoding, as the ffmpeg it is compared with
        MediaSource.Settings settings = new MediaSource.Settings(4, 500_000_000L, 2_000_000_000L, 200_000_000L,
                1_000_000_000L, 96_000, new HardwareDecoders(HardwareDecoders.Mode.NONE));
        // the warm-up reads the file as a live input (not paced: decoded as fast as it goes, reopened at its end), so
        // the source thread's per-frame code is compiled too; the measured pass plays it at its own pace
        SourceInput sourceInput = report ? SourceInput.file(input)
                : SourceInput.url(input.toUri().toString(), () -> { });
        MediaSource source = new MediaSource("cam", sourceInput, true, true, 1280, 720, settings,
                meters);
        StreamSpec spec = new StreamSpec("bench", "bench", new VideoSpec(1280, 720, 30), new SceneSpec(List.of(
                new VideoLayer("cam", "asset:bench", null, null, null, null, 0, 0, 1280, 720, null, null, null, null),
                new ImageLayer("logo", "asset:logo", "contain", 1080, 40, 160, 160, null, null),
                new TextLayer("title", "Stream Manager {clock}", 40, 620, 40, "#ffffff", null, null, null, null, null,
                        null))), null, null, null, 0, 0);
        SceneRenderer scene = SceneCompiler.compile(spec, new SceneMedia() {
            @Override
            public BufferedImage image(String field, String src) {
                return logo;
            }

            @Override
            public VideoFeed video(String field, VideoLayer layer, int width, int height) {
                return source;
            }
        });
        AtomicLong renderNs = new AtomicLong();
        AtomicLong frames = new AtomicLong();
        Timer render = Timer.builder("render").publishPercentiles(0.5, 0.99).register(registry);
        double cpuPerVideoSecond;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment slot = arena.allocate(I420Frame.frameBytes(1280, 720));
            FrameSink sink = new FrameSink() {
                public MemorySegment claim() {
                    return slot;
                }

                public long publish(long ptsUs, long captureEpochUs) {
                    return frames.incrementAndGet();
                }

                public void heartbeat() {
                }
            };
            FrameClock clock = new FrameClock("bench", 1_000_000 / (report ? 30 : 300), sink, scene::render, new ClockListener() {
                public void frameRendered(long ns) {
                    renderNs.addAndGet(ns);
                    render.record(ns, java.util.concurrent.TimeUnit.NANOSECONDS);
                }

                public void frameLate() {
                }

                public void framesDropped(long count) {
                }

                public void frameFailed(RuntimeException error) {
                    error.printStackTrace();
                }
            });
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            long wallBefore = System.nanoTime();
            source.start();
            clock.start();
            Thread.sleep((long) (seconds * 1000));
            clock.stop(Duration.ofSeconds(1));
            source.close();
            long cpuNs = os.getProcessCpuTime() - cpuBefore;
            double wallS = (System.nanoTime() - wallBefore) / 1e9;
            cpuPerVideoSecond = cpuNs / 1e9 / wallS;
            if (report) {
                Timer age = meters.frameAgeTimer();
                Timer decode = registry.find("composition.source.decode.time").timer();
                System.out.printf("compose_cpu_seconds=%.3f%n", cpuNs / 1e9);
                System.out.printf("compose_video_seconds=%.3f%n", wallS);
                System.out.printf("compose_cpu_per_video_second=%.4f%n", cpuPerVideoSecond);
                System.out.printf("compose_frames=%d source_frames_shown=%d dropped=%d repeated=%d%n", frames.get(),
                        source.deliveredFrames(), source.droppedFrames(), source.repeatedFrames());
                System.out.printf("frame_age_ms mean=%.2f max=%.2f%n", age.mean(java.util.concurrent.TimeUnit.MILLISECONDS),
                        age.max(java.util.concurrent.TimeUnit.MILLISECONDS));
                System.out.printf("render_ms mean=%.2f %s%n", render.mean(java.util.concurrent.TimeUnit.MILLISECONDS),
                        percentiles(render));
                System.out.printf("decode_ms mean=%.2f%n", decode.mean(java.util.concurrent.TimeUnit.MILLISECONDS));
            }
        }
        scene.close();
        meters.close();
        return cpuPerVideoSecond;
    }

    private static String percentiles(Timer timer) {
        StringBuilder out = new StringBuilder();
        for (ValueAtPercentile p : timer.takeSnapshot().percentileValues()) {
            out.append(String.format("p%.0f=%.2f ", p.percentile() * 100, p.value(java.util.concurrent.TimeUnit.MILLISECONDS)));
        }
        return out.toString().trim();
    }

    private ComposeBenchmark() {
    }
}
