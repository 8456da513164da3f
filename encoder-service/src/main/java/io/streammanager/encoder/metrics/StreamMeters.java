package io.streammanager.encoder.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.streammanager.encoder.codec.EncoderSkip;
import io.streammanager.encoder.pipeline.AudioStats;
import io.streammanager.encoder.pipeline.RenditionStats;
import io.streammanager.encoder.pipeline.StreamStats;

/**
 * One stream's meters, read from its worker's {@link StreamStats}; removed again when the worker goes. Names are the
 * product's (dashboards use them). Per rendition ({@code rendition} = its index in the packet ring, 0 the main one;
 * {@code encoder_info} also carries its id, size and encoder): encoder_fps, encoder_bitrate, encoder_target_bitrate,
 * encoder_maxrate, encoder_bufsize, encoder_info. For the stream's one frame reader (labelled rendition 0):
 * encoder_queue_size, encoder_dropped_frames, encoder_torn_frames, encoder_encode_time.
 */
public final class StreamMeters implements AutoCloseable {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Timer encodeTime;
    private final StreamStats stats;
    private final Tags tags;
    private final List<Meter> renditionMeters = new ArrayList<>();

    public StreamMeters(MeterRegistry registry, StreamStats stats) {
        this.registry = registry;
        this.stats = stats;
        this.tags = Tags.of("stream", stats.streamId(), "rendition", Integer.toString(stats.rendition()));
        meters.add(Gauge.builder("encoder_queue_size", stats, StreamStats::queueSize).tags(tags)
                .description("Frames waiting in the frame ring for this encoder").register(registry));
        meters.add(FunctionCounter.builder("encoder_dropped_frames", stats, StreamStats::droppedFrames).tags(tags)
                .description("Frames the encoder never saw: the composition lapped it").register(registry));
        meters.add(FunctionCounter.builder("encoder_torn_frames", stats, StreamStats::tornFrames).tags(tags)
                .description("Frames rewritten by the composition while being copied: encoded, possibly mixed")
                .register(registry));
        audio(stats.audio());
        encodeTime = Timer.builder("encoder_encode_time").tags(tags)
                .description("Time to encode one frame (submit, validity check, packets out)")
                .register(registry);
        meters.add(encodeTime);
    }

    /** The AAC track's source and what it had to make up (see the README's "Audio"). */
    private void audio(AudioStats audio) {
        meters.add(Gauge.builder("encoder_audio_pcm_active", audio, AudioStats::pcmActive).tags(tags)
                .description("1 while the AAC track is fed from a live PCM ring, 0 while it is generated silence")
                .register(registry));
        meters.add(FunctionCounter.builder("encoder_audio_pcm_samples", audio, AudioStats::pcmSamples).tags(tags)
                .description("Samples per channel taken from the PCM ring").register(registry));
        meters.add(FunctionCounter.builder("encoder_audio_silence_filled_samples", audio,
                        AudioStats::silenceFilledSamples).tags(tags)
                .description("Samples of silence put where no PCM was: no or stale ring, missing or torn slots")
                .register(registry));
        meters.add(FunctionCounter.builder("encoder_audio_dropped_samples", audio, AudioStats::droppedSamples)
                .tags(tags).description("PCM samples dropped because the track already covered their time")
                .register(registry));
        meters.add(FunctionCounter.builder("encoder_audio_lost_slots", audio, AudioStats::lostSlots).tags(tags)
                .description("PCM slots the encoder never read: the composition lapped it").register(registry));
        meters.add(FunctionCounter.builder("encoder_audio_torn_slots", audio, AudioStats::tornSlots).tags(tags)
                .description("PCM slots rewritten while read, replaced by silence").register(registry));
    }

    /**
     * Replaces the per-rendition meters with those of the renditions the worker encodes now, and counts each
     * rendition's encoder choice in {@code encoder_selections_total} (service-wide, so it outlives the stream):
     * {@code result=chosen} for the encoder it got, {@code result=skipped} with a {@code reason} for each one tried
     * before.
     */
    public synchronized void renditions(List<RenditionStats> renditions) {
        renditionMeters.forEach(registry::remove);
        renditionMeters.clear();
        for (RenditionStats rendition : renditions) {
            selections(rendition.codec(), rendition.encoderName(), "chosen", "none").increment();
            for (EncoderSkip skip : rendition.skipped()) {
                selections(rendition.codec(), skip.backend().codecName(), "skipped", skip.reasonLabel()).increment();
            }
            Tags of = Tags.of("stream", stats.streamId(), "rendition", Integer.toString(rendition.index()));
            renditionMeters.add(Gauge.builder("encoder_fps", rendition, RenditionStats::fps).tags(of)
                    .description("Frames encoded per second over the last second").register(registry));
            renditionMeters.add(Gauge.builder("encoder_bitrate", rendition, RenditionStats::bitrateBps).tags(of)
                    .description("Encoded bits per second over the last second").register(registry));
            renditionMeters.add(Gauge.builder("encoder_target_bitrate", rendition,
                    RenditionStats::targetBitrateBps).tags(of).baseUnit("bits per second")
                    .description("The rendition's rate-control target").register(registry));
            renditionMeters.add(Gauge.builder("encoder_maxrate", rendition, RenditionStats::maxrateBps).tags(of)
                    .description("The rendition's VBV maximum rate (capped rate control)").register(registry));
            renditionMeters.add(Gauge.builder("encoder_bufsize", rendition, RenditionStats::bufsizeBps).tags(of)
                    .description("The rendition's VBV buffer in bits").register(registry));
            renditionMeters.add(Gauge.builder("encoder_info", stats,
                            s -> s.state() == StreamStats.State.ENCODING ? 1 : 0)
                    .tags(of).tag("encoder", rendition.encoderName()).tag("rendition_id", rendition.id())
                    .tag("codec", rendition.codec())
                    .tag("size", rendition.width() + "x" + rendition.height())
                    .description("The encoder each rendition uses (1 while encoding)").register(registry));
        }
    }

    private Counter selections(String codec, String encoder, String result, String reason) {
        return Counter.builder("encoder_selections").tags("codec", codec, "encoder", encoder, "result", result,
                        "reason", reason)
                .description("Encoder choices per rendition opened: the one it got, and the ones skipped and why")
                .register(registry);
    }

    public void recordEncodeNanos(long nanos) {
        encodeTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void close() {
        renditionMeters.forEach(registry::remove);
        renditionMeters.clear();
        meters.forEach(registry::remove);
        meters.clear();
    }
}
