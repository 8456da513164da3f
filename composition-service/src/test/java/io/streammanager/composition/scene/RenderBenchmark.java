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
 * rendered into an off-heap frame like a ring slot. A plain main, no JMH: warm up, then time each frame and
 * print percentiles. Run with:
 * {@code java -cp target/classes:target/test-classes:<deps> io.streammanager.composition.scene.RenderBenchmark}
 */
public final class RenderBenchmark {

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
        System.out.println("1280x720 default scene, " + frames + " frames: " + measure(1280, 720, 500, frames));
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
