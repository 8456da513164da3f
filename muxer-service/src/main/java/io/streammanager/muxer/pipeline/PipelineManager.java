package io.streammanager.muxer.pipeline;

import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.muxer.config.MuxerConfig;
import io.streammanager.muxer.control.OutputEvents;
import io.streammanager.muxer.metrics.MuxerMetrics;
import io.streammanager.muxer.output.CompositeListener;
import io.streammanager.muxer.output.FfmpegMuxer;
import io.streammanager.muxer.output.Output;
import io.streammanager.muxer.output.OutputListener;
import io.streammanager.muxer.output.OutputQueue;
import io.streammanager.muxer.output.OutputStatus;
import io.streammanager.muxer.output.OutputTarget;
import io.streammanager.muxer.output.PacketPool;
import io.streammanager.muxer.output.PacketSink;
import io.streammanager.muxer.output.RetryPolicy;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/** The running streams of this instance: one {@link StreamPipeline} each. Starting and stopping are idempotent. */
@ApplicationScoped
public class PipelineManager {
    private static final Logger LOG = Logger.getLogger(PipelineManager.class);
    public static final Duration STOP_BUDGET = Duration.ofMillis(900);

    private final MuxerConfig config;
    private final MuxerMetrics metrics;
    private final OutputEvents events;
    private final PacketPool pool = new PacketPool(64);
    private final Map<String, StreamPipeline> pipelines = new ConcurrentHashMap<>();
    private final PacketSink.Factory sinkFactory;

    public PipelineManager(MuxerConfig config, MuxerMetrics metrics, OutputEvents events) {
        this.config = config;
        this.metrics = metrics;
        this.events = events;
        this.sinkFactory = FfmpegMuxer.factory(config.io().connectTimeout(), config.io().writeTimeout());
    }

    /**
     * Starts the stream's pipeline; if it already runs here, brings its outputs in line with the spec (outputs
     * added, removed or pointed elsewhere change; the others keep running untouched).
     */
    public synchronized void start(StreamSpec spec) throws InterruptedException {
        List<OutputTarget> targets = OutputTargets.of(spec, config.gateway().publishBaseUrl(),
                config.outputs().orElse(List.of()));
        StreamPipeline running = pipelines.get(spec.id());
        if (running != null) {
            reconcile(running, targets);
            return;
        }
        List<Output> outputs = new ArrayList<>();
        for (OutputTarget target : targets) {
            outputs.add(newOutput(spec.id(), target));
        }
        StreamPipeline pipeline = new StreamPipeline(spec.id(), RingFiles.packetRing(config.shmDir(), spec.id()),
                config.ringOpenTimeout(), outputs, pool, category -> metrics.distributorError(spec.id(), category));
        pipelines.put(spec.id(), pipeline);
        pipeline.start();
        LOG.infof("stream %s (%s): started with outputs %s", spec.id(), spec.name(),
                targets.stream().map(OutputTarget::id).toList());
    }

    private Output newOutput(String streamId, OutputTarget target) {
        OutputListener listener = new CompositeListener(List.of(metrics.listener(), events.listener()));
        RetryPolicy retry = RetryPolicy.of(config.retry().delay(), config.retry().maxDelay(),
                target.gateway() ? config.retry().gatewayAttempts() : config.retry().attempts());
        Output output = new Output(streamId, target,
                new OutputQueue(config.queue().maxPackets(), config.queue().maxBytes()), sinkFactory, retry, listener);
        metrics.register(output);
        return output;
    }

    private void reconcile(StreamPipeline pipeline, List<OutputTarget> targets) throws InterruptedException {
        Map<String, OutputTarget> wanted = new java.util.LinkedHashMap<>();
        targets.forEach(target -> wanted.put(target.id(), target));
        for (Output output : pipeline.outputs()) {
            OutputTarget target = wanted.get(output.id());
            if (target == null || !target.equals(output.target())) {
                Output removed = pipeline.removeOutput(output.id(), STOP_BUDGET);
                if (removed != null) {
                    metrics.unregister(removed);
                    LOG.infof("stream %s: output %s removed", pipeline.streamId(), output.id());
                }
            } else {
                wanted.remove(output.id());
            }
        }
        for (OutputTarget target : wanted.values()) {
            pipeline.addOutput(newOutput(pipeline.streamId(), target));
            LOG.infof("stream %s: output %s added", pipeline.streamId(), target.id());
        }
    }

    /** Stops the stream's outputs (trailers where possible) within about a second; false if it was not running. */
    public boolean stop(String streamId) throws InterruptedException {
        StreamPipeline pipeline;
        synchronized (this) {
            pipeline = pipelines.remove(streamId);
        }
        if (pipeline == null) {
            return false;
        }
        pipeline.requestStop();
        boolean clean = pipeline.awaitStopped(STOP_BUDGET);
        pipeline.outputs().forEach(metrics::unregister);
        metrics.unregisterStream(streamId);
        LOG.infof("stream %s: stopped%s", streamId, clean ? "" : " (some threads still finishing)");
        return true;
    }

    public boolean running(String streamId) {
        return pipelines.containsKey(streamId);
    }

    public Map<String, List<OutputStatus>> statuses() {
        Map<String, List<OutputStatus>> statuses = new TreeMap<>();
        pipelines.forEach((id, pipeline) -> statuses.put(id, pipeline.outputStatuses()));
        return statuses;
    }

    /** The oldest distributor loop age, 0 with no streams (for the liveness check). */
    public long oldestLoopAgeNanos() {
        long oldest = 0;
        for (StreamPipeline pipeline : pipelines.values()) {
            oldest = Math.max(oldest, pipeline.loopAgeNanos());
        }
        return oldest;
    }

    public int streamCount() {
        return pipelines.size();
    }

    @PreDestroy
    void stopAll() {
        List<StreamPipeline> all = new ArrayList<>(pipelines.values());
        pipelines.clear();
        all.forEach(StreamPipeline::requestStop);
        for (StreamPipeline pipeline : all) {
            try {
                pipeline.awaitStopped(STOP_BUDGET);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
