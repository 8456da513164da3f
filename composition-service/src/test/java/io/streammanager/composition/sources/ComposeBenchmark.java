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
 * frame clock for the file's duration. Prints the process CPU per video second (after a warm-up pass), the frame
 * age (a decoded frame's arrival to the clock taking it), the render time and the decode time.
 *
 * <p>Usage: {@code ComposeBenchmark <input.mp4> <logo.png> <seconds> [warm-up seconds, default min(5, seconds)]}
 */
public final class ComposeBenchmark {

    public static void main(String[] args) throws Exception {
        Path input = Path.of(args[0]);
        BufferedImage logo = ImageIO.read(Path.of(args[1]).toFile());
        double seconds = Double.parseDouble(args[2]);
        double warmupSeconds = args.length > 3 ? Double.parseDouble(args[3]) : Math.min(5, seconds);
        run(input, logo, warmupSeconds, false); // warm-up: JIT, FFmpeg's first open, fonts
        run(input, logo, seconds, true);
        System.exit(0);
    }

    private static void run(Path input, BufferedImage logo, double seconds, boolean report) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SourceMeters meters = new SourceMeters(registry, "bench", "cam");
        MediaSource.Settings settings = new MediaSource.Settings(4, 500_000_000L, 2_000_000_000L, 200_000_000L,
                1_000_000_000L, 96_000);
        MediaSource source = new MediaSource("cam", SourceInput.file(input), false, true, 1280, 720, settings,
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
            FrameClock clock = new FrameClock("bench", 1_000_000 / 30, sink, scene::render, new ClockListener() {
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
            if (report) {
                Timer age = meters.frameAgeTimer();
                Timer decode = registry.find("composition.source.decode.time").timer();
                System.out.printf("compose_cpu_seconds=%.3f%n", cpuNs / 1e9);
                System.out.printf("compose_video_seconds=%.3f%n", wallS);
                System.out.printf("compose_cpu_per_video_second=%.4f%n", cpuNs / 1e9 / wallS);
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
