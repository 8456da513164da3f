package io.streammanager.composition.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.streammanager.composition.clock.ClockListener;
import io.streammanager.composition.stream.StreamRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Render metrics per stream (tag {@code stream} = stream id, never a name or key): {@code composition_frame_time}
 * (seconds, with histogram buckets), {@code composition_frames_total}, {@code composition_late_frames_total},
 * {@code composition_dropped_frames_total}, {@code composition_failed_frames_total},
 * {@code composition_audio_clipped_samples_total} (samples of the mix clipped to S16); and
 * {@code composition_active_streams}.
 */
@ApplicationScoped
public class RenderMetrics {

    private final MeterRegistry registry;

    public RenderMetrics(MeterRegistry registry, StreamRegistry streams) {
        this.registry = registry;
        Gauge.builder("composition.active.streams", streams, StreamRegistry::size)
                .description("Streams this instance is rendering")
                .register(registry);
    }

    /** Meters for one stream, fed by its clock; {@link StreamMeters#close()} removes them when the stream stops. */
    public StreamMeters forStream(String streamId) {
        return new StreamMeters(registry, streamId);
    }

    public static final class StreamMeters implements ClockListener, AutoCloseable {

        private final MeterRegistry registry;
        private final Timer frameTime;
        private final Counter frames;
        private final Counter late;
        private final Counter dropped;
        private final Counter failed;
        private final Tags tags;
        private final List<Meter> bound = new ArrayList<>();

        StreamMeters(MeterRegistry registry, String streamId) {
            this.registry = registry;
            Tags tags = Tags.of("stream", streamId);
            this.tags = tags;
            this.frameTime = Timer.builder("composition.frame.time")
                    .description("Time to render and publish one frame")
                    .tags(tags)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(java.time.Duration.ofNanos(100_000))
                    .maximumExpectedValue(java.time.Duration.ofMillis(100))
                    .register(registry);
            this.frames = Counter.builder("composition.frames").description("Frames rendered").tags(tags)
                    .register(registry);
            this.late = Counter.builder("composition.late.frames")
                    .description("Frames started more than a quarter frame after their due time").tags(tags)
                    .register(registry);
            this.dropped = Counter.builder("composition.dropped.frames")
                    .description("Frame slots skipped because the clock fell more than a frame behind").tags(tags)
                    .register(registry);
            this.failed = Counter.builder("composition.failed.frames")
                    .description("Frames not published because painting failed").tags(tags)
                    .register(registry);
        }

        /** Binds the audio mix's clipped-sample count. */
        public void audio(LongSupplier clippedSamples) {
            bound.add(FunctionCounter.builder("composition.audio.clipped.samples", clippedSamples,
                            LongSupplier::getAsLong)
                    .description("Samples of the audio mix clipped to 16 bits (the sources' sum was too loud)")
                    .tags(tags).register(registry));
        }

        @Override
        public void frameRendered(long renderNs) {
            frameTime.record(renderNs, TimeUnit.NANOSECONDS);
            frames.increment();
        }

        @Override
        public void frameLate() {
            late.increment();
        }

        @Override
        public void framesDropped(long count) {
            dropped.increment(count);
        }

        @Override
        public void frameFailed(RuntimeException error) {
            failed.increment();
        }

        @Override
        public void close() {
            for (Meter meter : List.<Meter>of(frameTime, frames, late, dropped, failed)) {
                registry.remove(meter);
            }
            bound.forEach(registry::remove);
        }
    }
}
