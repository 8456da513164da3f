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
import io.streammanager.muxer.output.OutputState;
import io.streammanager.muxer.output.OutputStatus;
import io.streammanager.muxer.output.OutputTarget;
import io.streammanager.muxer.output.PacketPool;
import io.streammanager.muxer.output.PacketSink;
import io.streammanager.muxer.output.RetryPolicy;
import io.streammanager.muxer.recording.RecordTargets;
import io.streammanager.muxer.recording.RecordingSink;
import io.streammanager.muxer.recording.RecordingStore;
import io.streammanager.muxer.status.OutputStatusPublisher;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/** The running streams of this instance: one {@link StreamPipeline} each. Starting and stopping are idempotent. */
@ApplicationScoped
public class PipelineManager {
    private static final Logger LOG = Logger.getLogger(PipelineManager.class);
    public static final Duration STOP_BUDGET = Duration.ofMillis(900);
    /** Output id prefix of the recordings started through the API. */
    public static final String RECORDING_OUTPUT_PREFIX = "recording-";

    private final MuxerConfig config;
    private final MuxerMetrics metrics;
    private final OutputEvents events;
    private final OutputStatusPublisher statusPublisher;
    private final PacketPool pool = new PacketPool(64);
    private final Map<String, StreamPipeline> pipelines = new ConcurrentHashMap<>();
    private final PacketSink.Factory sinkFactory;
    private final RecordingStore recordings;
    /** The spec each running stream was started or last updated with (its renditions, for recordings). */
    private final Map<String, StreamSpec> specs = new ConcurrentHashMap<>();
    /** Output ids of recordings started through the API, per stream: a spec update leaves them alone. */
    private final Map<String, Set<String>> apiRecordings = new ConcurrentHashMap<>();

    public PipelineManager(MuxerConfig config, MuxerMetrics metrics, OutputEvents events,
                           OutputStatusPublisher statusPublisher, RecordingStore recordings) {
        this.config = config;
        this.metrics = metrics;
        this.events = events;
        this.statusPublisher = statusPublisher;
        this.recordings = recordings;
        this.sinkFactory = FfmpegMuxer.factory(config.io().connectTimeout(), config.io().writeTimeout());
    }

    /**
     * Starts the stream's pipeline; if it already runs here, brings its outputs in line with the spec, touching only
     * what differs: an output added, removed or pointed elsewhere (re)connects; a changed retry policy is applied to
     * the running output; {@code enabled=false} pauses one (no connection, still listed as PAUSED), {@code true}
     * resumes it. The others keep their connection.
     *
     * @throws IllegalArgumentException if an output's retry policy is invalid (nothing is changed then)
     */
    public synchronized void start(StreamSpec spec) throws InterruptedException {
        List<OutputPlan> plans = OutputTargets.plans(spec, config.gateway().publishBaseUrl(),
                config.outputs().orElse(List.of()));
        Map<String, RetryPolicy> policies = new java.util.HashMap<>();
        for (OutputPlan plan : plans) {
            policies.put(plan.target().id(), retryPolicy(plan));
        }
        StreamPipeline running = pipelines.get(spec.id());
        specs.put(spec.id(), spec);
        if (running != null) {
            reconcile(running, plans, policies);
            statusPublisher.markChanged(spec.id());
            return;
        }
        List<Output> outputs = new ArrayList<>();
        for (OutputPlan plan : plans) {
            if (plan.enabled()) {
                outputs.add(newOutput(spec.id(), plan.target(), policies.get(plan.target().id())));
            }
        }
        StreamPipeline pipeline = new StreamPipeline(spec.id(), RingFiles.packetRing(config.shmDir(), spec.id()),
                config.ringOpenTimeout(), outputs, pool, category -> metrics.distributorError(spec.id(), category));
        for (OutputPlan plan : plans) {
            if (!plan.enabled()) {
                pipeline.markPaused(neverConnected(plan.target().id()));
            }
        }
        pipelines.put(spec.id(), pipeline);
        pipeline.start();
        statusPublisher.track(spec.id(), pipeline::outputStatuses);
        LOG.infof("stream %s (%s): started with outputs %s", spec.id(), spec.name(),
                plans.stream().map(plan -> plan.target().id() + (plan.enabled() ? "" : " (paused)")).toList());
    }

    /**
     * Reconnects an output of a running stream now, with its attempts reset: a RETRYING one skips the rest of its
     * backoff, a FAILED one is replaced by a fresh output to the same target. A LIVE output keeps its connection.
     *
     * @return false if the stream does not run here or has no such (unpaused) output
     */
    public synchronized boolean restartOutput(String streamId, String outputId) {
        StreamPipeline pipeline = pipelines.get(streamId);
        if (pipeline == null) {
            return false;
        }
        for (Output output : pipeline.outputs()) {
            if (!output.id().equals(outputId)) {
                continue;
            }
            if (output.requestRestart()) {
                LOG.infof("stream %s: output %s restarted (%s)", streamId, outputId, output.state());
                return true;
            }
            Output fresh = newOutput(streamId, output.target(), output.retryPolicy());
            if (!pipeline.replaceOutput(output, fresh)) {
                metrics.unregister(fresh);
                return false;
            }
            metrics.unregister(output);
            statusPublisher.markChanged(streamId);
            LOG.infof("stream %s: output %s restarted after %s", streamId, outputId, output.state());
            return true;
        }
        return false;
    }

    private RetryPolicy retryPolicy(OutputPlan plan) {
        RetryPolicy defaults = RetryPolicy.of(config.retry().delay(), config.retry().maxDelay(),
                plan.target().gateway() ? config.retry().gatewayAttempts() : config.retry().attempts());
        return RetryPolicy.from(plan.retry(), defaults);
    }

    private Output newOutput(String streamId, OutputTarget target, RetryPolicy retry) {
        OutputListener listener = new CompositeListener(List.of(metrics.listener(), events.listener(),
                statusPublisher.listener()));
        PacketSink.Factory sinks = RecordTargets.isRecord(target.url())
                ? RecordingSink.factory(recordings, streamId, renditionId(streamId, target.rendition()),
                        Duration.ofMinutes(config.recordings().segmentMinutes()), config.io().connectTimeout(),
                        config.io().writeTimeout())
                : sinkFactory;
        Output output = new Output(streamId, target,
                new OutputQueue(config.queue().maxPackets(), config.queue().maxBytes()), sinks, retry, listener,
                config.io().stallTimeout());
        metrics.register(output);
        return output;
    }

    private void reconcile(StreamPipeline pipeline, List<OutputPlan> plans, Map<String, RetryPolicy> policies)
            throws InterruptedException {
        Map<String, OutputPlan> wanted = new java.util.LinkedHashMap<>();
        plans.forEach(plan -> wanted.put(plan.target().id(), plan));
        String streamId = pipeline.streamId();
        java.util.Set<String> pausedBefore = pipeline.pausedIds();
        Set<String> fromApi = apiRecordings.getOrDefault(streamId, Set.of());
        for (Output output : pipeline.outputs()) {
            if (fromApi.contains(output.id())) {
                continue; // a recording started through the API is not the spec's to change
            }
            OutputPlan plan = wanted.get(output.id());
            if (plan == null || !plan.target().equals(output.target())) {
                remove(pipeline, output.id(), "removed");
                continue;
            }
            wanted.remove(output.id());
            if (!plan.enabled()) {
                Output paused = remove(pipeline, output.id(), "paused");
                if (paused != null) {
                    pipeline.markPaused(paused.status());
                }
            } else if (!output.retryPolicy().sameLimits(policies.get(output.id()))) {
                output.updateRetryPolicy(policies.get(output.id()));
                LOG.infof("stream %s: output %s takes a new retry policy", streamId, output.id());
            }
        }
        for (String pausedId : pausedBefore) {
            OutputPlan plan = wanted.remove(pausedId);
            if (plan == null || plan.enabled()) {
                pipeline.forgetPaused(pausedId);
                if (plan != null) {
                    pipeline.addOutput(newOutput(streamId, plan.target(), policies.get(pausedId)));
                    LOG.infof("stream %s: output %s resumed", streamId, pausedId);
                }
            }
        }
        for (OutputPlan plan : wanted.values()) {
            if (plan.enabled()) {
                pipeline.addOutput(newOutput(streamId, plan.target(), policies.get(plan.target().id())));
                LOG.infof("stream %s: output %s added", streamId, plan.target().id());
            } else {
                pipeline.markPaused(neverConnected(plan.target().id()));
                LOG.infof("stream %s: output %s added paused", streamId, plan.target().id());
            }
        }
    }

    private Output remove(StreamPipeline pipeline, String outputId, String why) throws InterruptedException {
        Output removed = pipeline.removeOutput(outputId, STOP_BUDGET);
        if (removed != null) {
            metrics.unregister(removed);
            LOG.infof("stream %s: output %s %s", pipeline.streamId(), outputId, why);
        }
        return removed;
    }

    private static OutputStatus neverConnected(String outputId) {
        return new OutputStatus(outputId, OutputState.PAUSED, System.currentTimeMillis(), 0, 0, null, null, 0, 0, -1,
                0, 0, 0, 0);
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
        specs.remove(streamId);
        apiRecordings.remove(streamId);
        pipeline.requestStop();
        statusPublisher.untrack(streamId);
        boolean clean = pipeline.awaitStopped(STOP_BUDGET);
        pipeline.outputs().forEach(metrics::unregister);
        metrics.unregisterStream(streamId);
        LOG.infof("stream %s: stopped%s", streamId, clean ? "" : " (some threads still finishing)");
        return true;
    }

    /**
     * Starts recording a running stream's rendition ({@code null}: the main one) as an output of its own, which a
     * spec update leaves alone.
     *
     * @return the recording's output target ({@code record:<recordingId>}), or null if the stream does not run here
     * @throws IllegalArgumentException if the stream has no such rendition
     */
    public synchronized OutputTarget startRecording(String streamId, String recordingId, String renditionId) {
        StreamPipeline pipeline = pipelines.get(streamId);
        StreamSpec spec = specs.get(streamId);
        if (pipeline == null || spec == null) {
            return null;
        }
        List<io.streammanager.bus.control.spec.RenditionSpec> renditions = OutputTargets.renditions(spec);
        int index = 0;
        if (renditionId != null) {
            index = -1;
            for (int r = 0; r < renditions.size(); r++) {
                if (renditions.get(r).id().equals(renditionId)) {
                    index = r;
                }
            }
            if (index < 0) {
                throw new IllegalArgumentException("the stream has no rendition '" + renditionId + "' (it has "
                        + renditions.stream().map(io.streammanager.bus.control.spec.RenditionSpec::id).toList() + ")");
            }
        }
        OutputTarget target = new OutputTarget(RECORDING_OUTPUT_PREFIX + recordingId,
                RecordTargets.SCHEME + recordingId, RecordTargets.format(renditions.get(index).codec()), false, index);
        apiRecordings.computeIfAbsent(streamId, id -> ConcurrentHashMap.newKeySet()).add(target.id());
        pipeline.addOutput(newOutput(streamId, target, RetryPolicy.of(config.retry().delay(),
                config.retry().maxDelay(), 0)));
        statusPublisher.markChanged(streamId);
        return target;
    }

    /** The id of the main rendition or the one at {@code index} of a running stream, or null. */
    public String renditionId(String streamId, int index) {
        StreamSpec spec = specs.get(streamId);
        if (spec == null) {
            return null;
        }
        List<io.streammanager.bus.control.spec.RenditionSpec> renditions = OutputTargets.renditions(spec);
        return index < renditions.size() ? renditions.get(index).id() : null;
    }

    /**
     * Where a recording is written from: {@code API} (started through the API: it may be stopped), {@code SPEC} (an
     * output of the stream's spec), or null if no output of a running stream writes it.
     */
    public RecordingSource recordingSource(String streamId, String recordingId) {
        StreamPipeline pipeline = pipelines.get(streamId);
        if (pipeline == null) {
            return null;
        }
        for (Output output : pipeline.outputs()) {
            if (output.target().url().equals(RecordTargets.SCHEME + recordingId)) {
                return apiRecordings.getOrDefault(streamId, Set.of()).contains(output.id()) ? RecordingSource.API
                        : RecordingSource.SPEC;
            }
        }
        return null;
    }

    public enum RecordingSource { API, SPEC }

    /** Stops a recording started through the API (its file is finished cleanly); false if none runs. */
    public synchronized boolean stopRecording(String streamId, String recordingId) throws InterruptedException {
        StreamPipeline pipeline = pipelines.get(streamId);
        String outputId = RECORDING_OUTPUT_PREFIX + recordingId;
        Set<String> fromApi = apiRecordings.get(streamId);
        if (pipeline == null || fromApi == null || !fromApi.contains(outputId)) {
            return false;
        }
        remove(pipeline, outputId, "recording stopped");
        fromApi.remove(outputId);
        statusPublisher.markChanged(streamId);
        return true;
    }

    /** The stream's pipeline, or null (for tests in this package). */
    StreamPipeline pipeline(String streamId) {
        return pipelines.get(streamId);
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
