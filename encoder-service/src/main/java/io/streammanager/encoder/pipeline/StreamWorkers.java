package io.streammanager.encoder.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.encoder.config.EncoderConfig;
import io.streammanager.encoder.memory.NativeHeapTrim;
import io.streammanager.encoder.metrics.StreamMeters;
import io.streammanager.encoder.thumbnail.Thumbnails;

/**
 * The running stream workers, one per stream id. Start is idempotent per spec version; a newer version is applied
 * to the running worker in place. Called from the control loop's handler and at shutdown.
 */
@ApplicationScoped
public class StreamWorkers {

    private static final Logger LOG = Logger.getLogger(StreamWorkers.class);
    /** A StopStream must end the worker within a second. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(1);

    private record Running(StreamWorker worker, StreamMeters meters) {
    }

    private final EncoderConfig config;
    private final MeterRegistry registry;
    private final WorkerListener listener;
    private final Thumbnails thumbnails;
    private final Map<String, Running> workers = new ConcurrentHashMap<>();

    public StreamWorkers(EncoderConfig config, MeterRegistry registry, WorkerListener listener,
                         Thumbnails thumbnails) {
        this.config = config;
        this.thumbnails = thumbnails;
        this.registry = registry;
        this.listener = listener;
        for (EncoderErrorCategory category : EncoderErrorCategory.values()) {
            errors(category); // every category exported from the start, at 0
        }
    }

    /** {@code encoder_errors_total{category}}: service-wide, so it outlives the streams that counted. */
    private Counter errors(EncoderErrorCategory category) {
        return Counter.builder("encoder_errors").tag("category", category.label())
                .description("Encoder problems handled by the worker (reopened, skipped, fell back), by category")
                .register(registry);
    }

    /**
     * Starts a worker for {@code spec}, or brings the running one to a newer spec version in place (its encoding
     * changes before its next frame; the packet ring and every reader of it stay). An older or equal version than the
     * one running is ignored. Returns whether a worker was started.
     */
    public synchronized boolean start(StreamSpec spec) {
        WorkerSettings settings = WorkerSettings.of(spec, config);
        Running existing = workers.get(settings.streamId());
        if (existing != null && existing.worker().alive()) {
            StreamWorker worker = existing.worker();
            if (settings.specVersion() > worker.specVersion()) {
                worker.update(settings.encoder(), settings.specVersion());
            } else {
                LOG.debugf("stream %s: already at version %d, version %d ignored", settings.streamId(),
                        worker.specVersion(), settings.specVersion());
            }
            return false;
        }
        if (existing != null) {
            LOG.infof("stream %s: previous encoder worker ended, starting a new one for version %d",
                    settings.streamId(), settings.specVersion());
            end(settings.streamId(), existing, "restarted", false);
        }
        workers.put(settings.streamId(), launch(settings));
        return true;
    }

    /** The encoding of the stream's running worker, if one runs. */
    public Optional<EncoderSpec> encoding(String streamId) {
        Running running = workers.get(streamId);
        return running == null || !running.worker().alive() ? Optional.empty()
                : Optional.of(running.worker().encoderSpec());
    }

    private Running launch(WorkerSettings settings) {
        StreamMeters[] meters = new StreamMeters[1];
        WorkerListener metered = new WorkerListener() {
            @Override
            public void started(String streamId, String encoderName) {
                listener.started(streamId, encoderName);
            }

            @Override
            public void renditionsOpened(String streamId, List<RenditionStats> renditions) {
                meters[0].renditions(renditions);
                listener.renditionsOpened(streamId, renditions);
            }

            @Override
            public void error(String streamId, String message) {
                listener.error(streamId, message);
            }

            @Override
            public void stopped(String streamId, String reason) {
                listener.stopped(streamId, reason);
            }

            @Override
            public void encoderError(String streamId, EncoderErrorCategory category, String message) {
                errors(category).increment();
                listener.encoderError(streamId, category, message);
            }
        };
        StreamWorker worker = new StreamWorker(settings, metered, nanos -> meters[0].recordEncodeNanos(nanos),
                thumbnails.tap(settings.streamId()));
        meters[0] = new StreamMeters(registry, worker.stats());
        worker.start();
        return new Running(worker, meters[0]);
    }

    /** Stops the stream's worker (within a second) and deletes its packet ring; false if none was running. */
    public synchronized boolean stop(String streamId, String reason) {
        Running running = workers.remove(streamId);
        if (running == null) {
            return false;
        }
        end(streamId, running, reason, true);
        thumbnails.forget(streamId); // the stream is over: its pictures go now rather than at their TTL
        // its encoders' memory is free now but still held in malloc's arenas: give it back (NativeHeapTrim says why)
        if (config.trimNativeHeapOnStop()) {
            NativeHeapTrim.trim().ifPresent(report -> LOG.debugf("stream %s stopped: %s", streamId, report));
        }
        return true;
    }

    /** Service shutdown: stop every worker but leave the packet rings for the next instance to take over. */
    public synchronized void stopAll() {
        workers.forEach((id, running) -> end(id, running, "encoder shutting down", false));
        workers.clear();
    }

    private void end(String streamId, Running running, String reason, boolean deleteRings) {
        if (!running.worker().stop(reason, deleteRings, STOP_TIMEOUT)) {
            LOG.warnf("stream %s: encoder worker did not stop within %d ms", streamId, STOP_TIMEOUT.toMillis());
        }
        running.meters().close();
    }

    /** Stats of every known worker, for health. */
    public List<StreamStats> stats() {
        return workers.values().stream().map(r -> r.worker().stats()).toList();
    }

    public boolean running(String streamId) {
        Running running = workers.get(streamId);
        return running != null && running.worker().alive();
    }
}
