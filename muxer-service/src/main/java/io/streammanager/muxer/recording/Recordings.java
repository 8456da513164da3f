package io.streammanager.muxer.recording;

import io.streammanager.muxer.config.MuxerConfig;
import io.streammanager.muxer.output.OutputTarget;
import io.streammanager.muxer.pipeline.PipelineManager;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The recordings API's logic: starting and stopping recordings of running streams, reading them back from the store,
 * and one background thread that ends recordings at their {@code maxDurationS} (checked every second) and runs the
 * retention sweep every {@code muxer.recordings.sweep-interval}.
 */
@ApplicationScoped
public class Recordings {
    private static final Logger LOG = Logger.getLogger(Recordings.class);
    /** Recordings started through the API that may run at once, per stream. */
    public static final int MAX_RUNNING_PER_STREAM = 8;

    private final PipelineManager pipelines;
    private final RecordingStore store;
    private final MuxerConfig config;
    private final RetentionSweep retention;
    /** When each API recording with a maxDurationS ends: "streamId/recordingId" -> deadline. */
    private final Map<String, Instant> deadlines = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    public Recordings(PipelineManager pipelines, RecordingStore store, MuxerConfig config) {
        this.pipelines = pipelines;
        this.store = store;
        this.config = config;
        this.retention = new RetentionSweep(store, config.recordings().maxAge(), config.recordings().maxBytes());
    }

    /** Why a recording cannot start or stop: the API answers with the status and names the field. */
    public static final class Refused extends RuntimeException {
        private final int status;
        private final String field;

        Refused(int status, String field, String message) {
            super(message);
            this.status = status;
            this.field = field;
        }

        public int status() {
            return status;
        }

        public String field() {
            return field;
        }
    }

    @PostConstruct
    void startTimer() {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon(true)
                .name("recordings-timer").factory());
        timer.scheduleWithFixedDelay(this::endExpired, 1, 1, TimeUnit.SECONDS);
        long sweepMs = Math.max(1_000, config.recordings().sweepInterval().toMillis());
        timer.scheduleWithFixedDelay(this::sweep, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stopTimer() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** @return the new recording, or empty if the stream does not run on this instance */
    public Optional<RecordingView> start(String streamId, String rendition, Integer maxDurationS) {
        if (!pipelines.running(streamId) || !RecordingStore.safeId(streamId)) {
            return Optional.empty();
        }
        long runningHere = store.list(streamId).stream()
                .filter(meta -> pipelines.recordingSource(streamId, meta.id()) == PipelineManager.RecordingSource.API)
                .count();
        if (runningHere >= MAX_RUNNING_PER_STREAM) {
            throw new Refused(409, null, "at most " + MAX_RUNNING_PER_STREAM
                    + " recordings started through the API run at once per stream");
        }
        String id = "r" + Long.toString(System.currentTimeMillis(), 36)
                + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
        String renditionId = rendition != null ? rendition : pipelines.renditionId(streamId, 0);
        RecordingMeta meta = new RecordingMeta(id, streamId, renditionId, null, Instant.now().toString(),
                maxDurationS, null, 0);
        OutputTarget target;
        try {
            store.save(meta);
            target = pipelines.startRecording(streamId, id, rendition);
        } catch (IllegalArgumentException e) {
            store.delete(streamId, id);
            throw new Refused(400, "rendition", e.getMessage());
        }
        if (target == null) {
            store.delete(streamId, id);
            return Optional.empty();
        }
        meta = new RecordingMeta(id, streamId, renditionId, target.format(), meta.startedAt(), maxDurationS, null, 0);
        store.save(meta);
        if (maxDurationS != null) {
            deadlines.put(streamId + "/" + id, Instant.now().plusSeconds(maxDurationS));
        }
        LOG.infof("stream %s: recording %s of rendition %s started (%s)", streamId, id, renditionId, target.format());
        return Optional.of(view(meta));
    }

    /** The stream's recordings, or empty if the stream neither runs here nor has any. */
    public Optional<List<RecordingView>> list(String streamId) {
        List<RecordingMeta> found = store.list(streamId);
        if (found.isEmpty() && !pipelines.running(streamId)) {
            return Optional.empty();
        }
        return Optional.of(found.stream().map(this::view).toList());
    }

    public Optional<RecordingView> get(String streamId, String recordingId) {
        return store.load(streamId, recordingId).map(this::view);
    }

    /** The part file at {@code index}, or empty. */
    public Optional<Path> part(String streamId, String recordingId, int index) {
        if (store.load(streamId, recordingId).isEmpty()) {
            return Optional.empty();
        }
        List<Path> parts = store.parts(streamId, recordingId);
        return index >= 0 && index < parts.size() ? Optional.of(parts.get(index)) : Optional.empty();
    }

    public enum Deleted { STOPPED, REMOVED, NOT_FOUND }

    /** Stops a running recording (its files stay), or removes a finished one with its files. */
    public Deleted delete(String streamId, String recordingId) throws InterruptedException {
        Optional<RecordingMeta> meta = store.load(streamId, recordingId);
        if (meta.isEmpty()) {
            return Deleted.NOT_FOUND;
        }
        PipelineManager.RecordingSource source = pipelines.recordingSource(streamId, recordingId);
        if (source == PipelineManager.RecordingSource.SPEC) {
            throw new Refused(409, "recordingId", "recording " + recordingId + " is an output of the stream's spec "
                    + "(a record: url in outputs[]): remove or disable that output to stop it");
        }
        if (source == PipelineManager.RecordingSource.API) {
            stop(streamId, recordingId);
            return Deleted.STOPPED;
        }
        deadlines.remove(streamId + "/" + recordingId);
        store.delete(streamId, recordingId);
        return Deleted.REMOVED;
    }

    private void stop(String streamId, String recordingId) throws InterruptedException {
        deadlines.remove(streamId + "/" + recordingId);
        pipelines.stopRecording(streamId, recordingId);
        // the sink saved the final duration when it closed: mark the stop on what it left
        store.load(streamId, recordingId).ifPresent(meta -> store.save(meta.stopped(Instant.now().toString())));
        LOG.infof("stream %s: recording %s stopped", streamId, recordingId);
    }

    RecordingView view(RecordingMeta meta) {
        List<RecordingView.Part> parts = store.parts(meta.streamId(), meta.id()).stream()
                .map(path -> new RecordingView.Part(path.toString(), RecordingStore.size(path))).toList();
        boolean running = pipelines.recordingSource(meta.streamId(), meta.id()) != null;
        return new RecordingView(meta.id(), meta.streamId(), meta.rendition(), meta.format(),
                running ? "recording" : "finished", meta.startedAt(), meta.stoppedAt(), meta.maxDurationS(),
                parts.isEmpty() ? null : parts.getFirst().path(), parts.stream().mapToLong(RecordingView.Part::bytes).sum(),
                meta.durationMs(), parts);
    }

    private void endExpired() {
        Instant now = Instant.now();
        for (Map.Entry<String, Instant> deadline : deadlines.entrySet()) {
            if (deadline.getValue().isAfter(now)) {
                continue;
            }
            String[] ids = deadline.getKey().split("/", 2);
            try {
                stop(ids[0], ids[1]);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                deadlines.remove(deadline.getKey());
                LOG.warnf("stream %s: recording %s not stopped at its maxDurationS: %s", ids[0], ids[1], e.getMessage());
            }
        }
    }

    void sweep() {
        try {
            retention.sweep(dir -> pipelines.recordingSource(dir.getParent().getFileName().toString(),
                    dir.getFileName().toString()) != null);
        } catch (RuntimeException e) {
            LOG.warnf("recordings retention sweep failed: %s", e.getMessage());
        }
    }
}
