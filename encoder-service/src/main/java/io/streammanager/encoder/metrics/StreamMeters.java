package io.streammanager.encoder.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.streammanager.encoder.pipeline.StreamStats;

/**
 * One stream rendition's meters, read from its worker's {@link StreamStats}; removed again when the worker goes.
 * Names are the product's (dashboards use them): encoder_fps, encoder_bitrate, encoder_queue_size,
 * encoder_dropped_frames, encoder_encode_time, plus encoder_info carrying the chosen encoder as a tag.
 */
public final class StreamMeters implements AutoCloseable {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Timer encodeTime;
    private final StreamStats stats;
    private final Tags tags;
    private Meter info;

    public StreamMeters(MeterRegistry registry, StreamStats stats) {
        this.registry = registry;
        this.stats = stats;
        this.tags = Tags.of("stream", stats.streamId(), "rendition", Integer.toString(stats.rendition()));
        meters.add(Gauge.builder("encoder_fps", stats, StreamStats::fps).tags(tags)
                .description("Frames encoded per second over the last second").register(registry));
        meters.add(Gauge.builder("encoder_bitrate", stats, StreamStats::bitrateBps).tags(tags)
                .description("Encoded bits per second over the last second").register(registry));
        meters.add(Gauge.builder("encoder_queue_size", stats, StreamStats::queueSize).tags(tags)
                .description("Frames waiting in the frame ring for this encoder").register(registry));
        meters.add(FunctionCounter.builder("encoder_dropped_frames", stats, StreamStats::droppedFrames).tags(tags)
                .description("Frames the encoder never saw: the composition lapped it").register(registry));
        meters.add(FunctionCounter.builder("encoder_torn_frames", stats, StreamStats::tornFrames).tags(tags)
                .description("Frames rewritten by the composition while being copied: encoded, possibly mixed")
                .register(registry));
        encodeTime = Timer.builder("encoder_encode_time").tags(tags)
                .description("Time to encode one frame (submit, validity check, packets out)")
                .register(registry);
        meters.add(encodeTime);
    }

    /** Exports the chosen encoder as the {@code encoder} tag of {@code encoder_info} (1 while encoding). */
    public synchronized void encoderChosen(String encoderName) {
        if (info != null) {
            registry.remove(info);
        }
        info = Gauge.builder("encoder_info", stats, s -> s.state() == StreamStats.State.ENCODING ? 1 : 0)
                .tags(tags).tag("encoder", encoderName)
                .description("The encoder this stream uses (1 while encoding)").register(registry);
    }

    public void recordEncodeNanos(long nanos) {
        encodeTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void close() {
        if (info != null) {
            registry.remove(info);
            info = null;
        }
        meters.forEach(registry::remove);
        meters.clear();
    }
}
