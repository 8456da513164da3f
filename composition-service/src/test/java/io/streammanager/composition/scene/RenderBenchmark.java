package io.streammanager.composition.scene;

import io.streammanager.bus.control.spec.SceneSpec;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.VideoSpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.Arrays;

/**
 * Per-frame cost of the default scene (gradient, moving rectangle, text with clock and frame number) at 720p,
 * rendered into an off-heap frame like a ring slot, beside a baseline measured in the same run: one plain fill of the
 * same frame (the least any renderer pays to touch every byte once). A plain main, no JMH: warm up, then time each
 * frame and print percentiles and the ratio to the baseline. Run with {@code bench/render.sh [frames]}.
 */
public final class RenderBenchmark {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RenderBenchmark.class);

    /** Wall-clock percentiles per frame, and the render thread's CPU time per frame (immune to other load). */
    public record Result(double medianMs, double p99Ms, double meanMs, double cpuMeanMs) {
        @Override
        public String toString() {
            return String.format("median=%.3f ms p99=%.3f ms mean=%.3f ms cpu/frame=%.3f ms", medianMs, p99Ms,
                    meanMs, cpuMeanMs);
        }
    }

    public static void main(String[] args) {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Result scene = measure(1280, 720, 500, frames);
        double fillCpuMs = fillBaselineCpuMs(1280, 720, 500, frames);
        LOG.infof("1280x720 default scene, %d frames: %s", frames, scene);
        LOG.info(String.format(java.util.Locale.ROOT, "baseline, one fill of the same I420 frame: cpu/frame=%.3f ms;"
                + " scene / baseline = %.1fx", fillCpuMs, scene.cpuMeanMs() / fillCpuMs));
    }

    /** CPU per frame of filling a frame of the scene's size once, in this thread, after a warmup. */
    static double fillBaselineCpuMs(int width, int height, int warmupFrames, int frames) {
        long bytes = (long) width * height * 3 / 2;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(bytes, 64);
            for (int i = 0; i < warmupFrames; i++) {
                slot.fill((byte) i);
            }
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpuStart = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < frames; i++) {
                slot.fill((byte) i);
            }
            return (threads.getCurrentThreadCpuTime() - cpuStart) / (double) frames / 1e6;
        }
    }

    public static Result measure(int width, int height, int warmupFrames, int frames) {
        StreamSpec spec = new StreamSpec("bench", "bench", new VideoSpec(width, height, 30), SceneSpec.DEFAULT,
                null, null, null, 0, 0);
        try (Arena arena = Arena.ofConfined(); SceneRenderer scene = SceneCompiler.compile(spec)) {
            MemorySegment slot = arena.allocate(scene.frameBytes(), 64);
            long epochUs = Instant.now().toEpochMilli() * 1000;
            for (int i = 0; i < warmupFrames; i++) {
                scene.render(slot, i, i * 33_333L, epochUs + i * 33_333L);
            }
            long[] nanos = new long[frames];
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpuStart = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < frames; i++) {
                long index = warmupFrames + i;
                long start = System.nanoTime();
                scene.render(slot, index, index * 33_333L, epochUs + index * 33_333L);
                nanos[i] = System.nanoTime() - start;
            }
            double cpuMean = (threads.getCurrentThreadCpuTime() - cpuStart) / (double) frames;
            Arrays.sort(nanos);
            double mean = Arrays.stream(nanos).average().orElse(0);
            return new Result(nanos[frames / 2] / 1e6, nanos[(int) (frames * 0.99)] / 1e6, mean / 1e6, cpuMean / 1e6);
        }
    }
}
