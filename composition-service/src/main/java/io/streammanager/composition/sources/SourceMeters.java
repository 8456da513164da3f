package io.streammanager.composition.sources;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * One source's meters, tagged {@code stream} (id) and {@code source} (layer id; never a URL, which may hold a key):
 * {@code composition_source_state} (0 connecting, 1 live, 2 stalled, 3 ended, 4 failed),
 * {@code composition_source_fps}, {@code composition_source_dropped_frames_total},
 * {@code composition_source_repeated_frames_total}, {@code composition_source_decode_time_seconds} and
 * {@code composition_source_frame_age_seconds} (from a frame's arrival to the clock taking it); for its sound
 * {@code composition_audio_underruns_total}, {@code composition_audio_dropped_samples_total} and
 * {@code composition_audio_level_dbfs} (the RMS of its last tick before its gain; -120 for silence).
 */
final class SourceMeters implements AutoCloseable {

    private static final double MIN_LEVEL_DBFS = -120;

    private final MeterRegistry registry;
    private final Tags tags;
    private final Timer decodeTime;
    private final Timer frameAge;
    private final Counter decodedFrames;
    private List<Meter> bound = List.of();
    private volatile double fps;

    SourceMeters(MeterRegistry registry, String streamId, String sourceName) {
        this.registry = registry;
        this.tags = Tags.of("stream", streamId, "source", sourceName);
        this.decodeTime = Timer.builder("composition.source.decode.time").description("Time to decode one frame")
                .tags(tags).publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofMillis(200)).register(registry);
        this.frameAge = Timer.builder("composition.source.frame.age")
                .description("From a decoded frame's arrival to the frame clock taking it").tags(tags)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofMillis(500)).register(registry);
        this.decodedFrames = Counter.builder("composition.source.decoded.frames").description("Frames decoded")
                .tags(tags).register(registry);
    }

    /** Binds the gauges and counters read from the source itself. */
    void bind(MediaSource source) {
        bound = List.of(
                Gauge.builder("composition.source.state", source, s -> s.state().ordinal())
                        .description("0 connecting, 1 live, 2 stalled, 3 ended, 4 failed").tags(tags).register(registry),
                Gauge.builder("composition.source.fps", this, m -> m.fps)
                        .description("Frames per second arriving from the source").tags(tags).register(registry),
                counter("composition.source.dropped.frames", source, MediaSource::droppedFrames,
                        "Decoded frames never shown (queue full, or a newer one came before the clock tick)"),
                counter("composition.source.repeated.frames", source, MediaSource::repeatedFrames,
                        "Clock ticks that showed the previous frame again (source slower than the stream)"),
                counter("composition.audio.underruns", source, s -> s.audio().underruns(),
                        "Clock ticks where the source owed sound it did not have (silence inserted)"),
                counter("composition.audio.dropped.samples", source, s -> s.audio().droppedSamples(),
                        "Sample frames dropped (queue full, or cut to keep the sound on the picture)"),
                Gauge.builder("composition.audio.level.dbfs", source, s -> Math.max(MIN_LEVEL_DBFS,
                        s.audio().levelDbfs())).description("RMS level of the source's sound, dBFS").tags(tags)
                        .register(registry));
    }

    private Meter counter(String name, MediaSource source, ToDoubleFunction<MediaSource> value, String description) {
        return FunctionCounter.builder(name, source, value).description(description).tags(tags).register(registry);
    }

    void decoded(long decodeNs) {
        decodeTime.record(decodeNs, TimeUnit.NANOSECONDS);
        decodedFrames.increment();
    }

    void frameAge(long ageNs) {
        frameAge.record(ageNs, TimeUnit.NANOSECONDS);
    }

    void fps(double value) {
        this.fps = value;
    }

    double fps() {
        return fps;
    }

    double decodedCount() {
        return decodedFrames.count();
    }

    Timer frameAgeTimer() {
        return frameAge;
    }

    @Override
    public void close() {
        for (Meter meter : bound) {
            registry.remove(meter);
        }
        registry.remove(decodeTime);
        registry.remove(frameAge);
        registry.remove(decodedFrames);
    }
}
