package io.streammanager.muxer.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.streammanager.muxer.output.ErrorCategory;
import io.streammanager.muxer.output.Output;
import io.streammanager.muxer.output.OutputListener;
import io.streammanager.muxer.output.OutputState;
import io.streammanager.muxer.output.SharedPacket;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The muxer's Prometheus metrics. Tags are stream id and output id (never a URL: it may hold a key).
 *
 * <ul>
 *   <li>{@code muxer_active_outputs}: outputs currently LIVE</li>
 *   <li>{@code muxer_queue_size{stream,output}}: packets waiting in an output's queue</li>
 *   <li>{@code muxer_output_state{stream,output}}: state code (0 idle, 1 connecting, 2 live, 3 retrying, 4 stopped,
 *       5 failed)</li>
 *   <li>{@code muxer_errors_total{stream,output,category}}: errors by seed category</li>
 *   <li>{@code muxer_output_retries_total}, {@code muxer_output_bytes_total}, {@code muxer_dropped_packets_total}</li>
 *   <li>{@code muxer_pipeline_latency_seconds{stream}}: wall clock at the gateway write minus the frame's capture
 *       time (composition to muxer)</li>
 * </ul>
 */
@Startup // muxer_active_outputs is exported from the start, not from the first stream on
@ApplicationScoped
public class MuxerMetrics {
    public static final String ACTIVE_OUTPUTS = "muxer_active_outputs";
    public static final String QUEUE_SIZE = "muxer_queue_size";
    public static final String OUTPUT_STATE = "muxer_output_state";
    public static final String ERRORS = "muxer_errors";
    public static final String RETRIES = "muxer_output_retries";
    public static final String BYTES = "muxer_output_bytes";
    public static final String DROPPED = "muxer_dropped_packets";
    public static final String PIPELINE_LATENCY = "muxer_pipeline_latency";

    private final MeterRegistry registry;
    private final Set<Output> outputs = ConcurrentHashMap.newKeySet();
    private final Map<Output, List<Meter>> metersByOutput = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencyByStream = new ConcurrentHashMap<>();

    public MuxerMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(ACTIVE_OUTPUTS, outputs, all -> all.stream().filter(o -> o.state() == OutputState.LIVE).count())
                .description("Outputs currently connected and sending")
                .register(registry);
    }

    /** Registers an output's gauges and counters; remove them with {@link #unregister(Output)}. */
    public void register(Output output) {
        Tags tags = tags(output);
        List<Meter> meters = new ArrayList<>();
        meters.add(Gauge.builder(QUEUE_SIZE, output, Output::queueSize)
                .description("Packets waiting in the output's queue").tags(tags).register(registry));
        meters.add(Gauge.builder(OUTPUT_STATE, output, o -> o.state().code())
                .description("0 idle, 1 connecting, 2 live, 3 retrying, 4 stopped, 5 failed, 6 paused").tags(tags)
                .register(registry));
        meters.add(FunctionCounter.builder(BYTES, output, Output::bytesWritten)
                .description("Payload bytes written to the output").baseUnit("bytes").tags(tags).register(registry));
        meters.add(FunctionCounter.builder(DROPPED, output, Output::droppedPackets)
                .description("Packets dropped by the output's queue (keyframe-aware)").tags(tags).register(registry));
        meters.add(retries(output));
        for (ErrorCategory category : ErrorCategory.values()) {
            meters.add(errors(output, category));
        }
        metersByOutput.put(output, meters);
        outputs.add(output);
    }

    public void unregister(Output output) {
        outputs.remove(output);
        List<Meter> meters = metersByOutput.remove(output);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }

    public void unregisterStream(String streamId) {
        Timer timer = latencyByStream.remove(streamId);
        if (timer != null) {
            registry.remove(timer);
        }
    }

    /** The listener that feeds these metrics for one output. */
    public OutputListener listener() {
        return new OutputListener() {
            @Override
            public void stateChanged(Output output, OutputState state, int attempt, ErrorCategory lastError) {
            }

            @Override
            public void error(Output output, ErrorCategory category) {
                errors(output, category).increment();
            }

            @Override
            public void retryScheduled(Output output, int attempt, long delayNs) {
                retries(output).increment();
            }

            @Override
            public void packetWritten(Output output, SharedPacket packet, long writtenAtEpochUs) {
                if (output.target().gateway() && output.target().rendition() == 0 && packet.captureEpochUs() > 0) {
                    long latencyUs = writtenAtEpochUs - packet.captureEpochUs();
                    if (latencyUs >= 0) {
                        latency(output.streamId()).record(latencyUs, TimeUnit.MICROSECONDS);
                    }
                }
            }
        };
    }

    /** An error of the stream's distributor (not of one output): tagged {@code output="distributor"}. */
    public void distributorError(String streamId, ErrorCategory category) {
        Counter.builder(ERRORS).description("Muxer errors by category")
                .tags("stream", streamId, "output", "distributor", "category", category.tag())
                .register(registry).increment();
    }

    private Counter errors(Output output, ErrorCategory category) {
        return Counter.builder(ERRORS).description("Muxer errors by category")
                .tags(tags(output)).tag("category", category.tag()).register(registry);
    }

    private Counter retries(Output output) {
        return Counter.builder(RETRIES).description("Reconnect attempts scheduled").tags(tags(output))
                .register(registry);
    }

    private Timer latency(String streamId) {
        return latencyByStream.computeIfAbsent(streamId, id -> Timer.builder(PIPELINE_LATENCY)
                .description("Capture time to the moment the packet is written to the gateway output")
                .tag("stream", id).publishPercentiles(0.5, 0.99).minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry));
    }

    private static Tags tags(Output output) {
        return Tags.of("stream", output.streamId(), "output", output.id());
    }
}
