package io.streammanager.composition.stream;

import io.streammanager.bus.control.CommandBus;
import io.streammanager.bus.control.StartStream;
import io.streammanager.bus.control.StopStream;
import io.streammanager.bus.control.StreamKeys;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.composition.config.CompositionConfig;
import io.streammanager.composition.events.LifecycleEvents;
import io.streammanager.composition.metrics.RenderMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Creates, deletes and resumes streams: validation, Redis state, frame ring and render clock, then the command
 * for the other services and the lifecycle event. Create and delete are serialised (each takes milliseconds)
 * so a name check, a limit check and a start never interleave. Blocking: call from worker threads.
 */
@ApplicationScoped
public class StreamLifecycle {

    private static final Logger LOG = Logger.getLogger(StreamLifecycle.class);

    private final CompositionConfig config;
    private final StreamStore store;
    private final StreamRegistry registry;
    private final RenderMetrics metrics;
    private final CommandBus commands;
    private final LifecycleEvents events;
    private final StreamScenesMedia.Provider media;
    private final SceneReferences references;

    public StreamLifecycle(CompositionConfig config, StreamStore store, StreamRegistry registry, RenderMetrics metrics,
                           CommandBus commands, LifecycleEvents events, StreamScenesMedia.Provider media,
                           SceneReferences references) {
        this.media = media;
        this.references = references;
        this.config = config;
        this.store = store;
        this.registry = registry;
        this.metrics = metrics;
        this.commands = commands;
        this.events = events;
    }

    /** Validates, stores and starts rendering a new stream; returns the spec as assigned (with its secret key). */
    public synchronized StreamSpec create(StreamSpec request) {
        if (request == null) {
            throw new InvalidSpecException("body", "a stream spec is required");
        }
        StreamSpec requested = request.withDefaults();
        StreamSpecValidator.validate(requested);
        references.check(requested);
        if (registry.size() >= config.limits().maxStreams()) {
            throw new StreamLimitException(config.limits().maxStreams());
        }
        store.overlappingName(requested.name()).ifPresent(other -> {
            throw new StreamNameTakenException(requested.name(), other);
        });
        StreamSpec spec = requested.assigned(StreamIds.next(), StreamKeys.generate(), System.currentTimeMillis(), 1);
        if (!store.claimName(spec.name(), spec.id())) {
            throw new StreamNameTakenException(spec.name());
        }
        try {
            store.save(spec);
            registry.add(RunningStream.start(spec, config.shmDir(), config.ring().slots(), metrics.forStream(spec.id()),
                    media.forStream(spec.id())));
            // Inside the try: a stream the other services never heard of must not look created.
            commands.publish(new StartStream(spec));
        } catch (RuntimeException e) {
            LOG.errorf(e, "stream %s (%s): could not start, rolling back", spec.id(), spec.name());
            registry.remove(spec.id()).ifPresent(this::stopRendering);
            store.delete(spec);
            store.releaseName(spec.name(), spec.id());
            throw e;
        }
        events.created(spec.id(), spec.name());
        LOG.infof("stream %s (%s): created, rendering %dx%d@%d", spec.id(), spec.name(), spec.video().width(),
                spec.video().height(), spec.video().fps());
        return spec;
    }

    /**
     * Stops rendering, deletes the ring and every Redis key of the stream, then tells the other services to stop.
     * Returns once all of that is done (tens of milliseconds), so the 2 s stop budget is left to the others.
     */
    public synchronized void delete(String streamId) {
        var running = registry.remove(streamId);
        StreamSpec spec = store.find(streamId).orElseGet(() -> running.map(RunningStream::spec).orElse(null));
        if (spec == null) {
            throw new StreamNotFoundException(streamId);
        }
        running.ifPresent(this::stopRendering);
        store.delete(spec);
        commands.publish(new StopStream(spec.id(), spec.name(), "deleted"));
        events.stopped(spec.id(), spec.name(), "deleted");
        LOG.infof("stream %s (%s): deleted", spec.id(), spec.name());
    }

    /**
     * Starts rendering every stored stream not already rendered here (after a restart of this service); one that
     * cannot start is logged and reported as {@code stream.error}, and the others go on. Returns how many started.
     */
    public synchronized int resumeStored(List<StreamSpec> stored) {
        int resumed = 0;
        for (StreamSpec storedSpec : stored) {
            StreamSpec spec = storedSpec.withDefaults();
            if (registry.find(spec.id()).isPresent()) {
                continue;
            }
            if (registry.size() >= config.limits().maxStreams()) {
                LOG.warnf("stream %s (%s): not resumed, this instance is at its limit of %d streams", spec.id(),
                        spec.name(), config.limits().maxStreams());
                continue;
            }
            try {
                startRendering(spec);
                resumed++;
            } catch (RuntimeException e) {
                LOG.errorf(e, "stream %s (%s): could not resume", spec.id(), spec.name());
                events.failed(spec.id(), "could not resume rendering: " + e.getMessage());
            }
        }
        return resumed;
    }

    /**
     * A StartStream from the command stream: renders the stream unless it is rendered here already (a create over
     * REST started it before publishing the command) or no longer stored (deleted meanwhile). Returns whether it
     * started; a failure to start is thrown, for the control loop to report.
     */
    public synchronized boolean renderIfStored(StreamSpec commanded) {
        StreamSpec spec = commanded.withDefaults();
        if (registry.find(spec.id()).isPresent() || store.find(spec.id()).isEmpty()) {
            return false;
        }
        if (registry.size() >= config.limits().maxStreams()) {
            throw new StreamLimitException(config.limits().maxStreams());
        }
        startRendering(spec);
        return true;
    }

    /** A StopStream from the command stream: stops rendering if it still runs here (a delete over REST already did). */
    public synchronized boolean stopRenderingHere(String streamId) {
        var running = registry.remove(streamId);
        running.ifPresent(this::stopRendering);
        return running.isPresent();
    }

    private void startRendering(StreamSpec spec) {
        RunningStream running = RunningStream.start(spec, config.shmDir(), config.ring().slots(),
                metrics.forStream(spec.id()), media.forStream(spec.id()));
        registry.add(running);
        events.resumed(spec.id(), spec.name(), running.generation());
        LOG.infof("stream %s (%s): resumed, ring generation %d", spec.id(), spec.name(), running.generation());
    }

    /** Stops every render thread; keeps Redis state (a shutdown is not a delete). */
    public synchronized void stopAll() {
        for (RunningStream running : registry.all()) {
            registry.remove(running.spec().id());
            stopRendering(running, config.ring().deleteOnShutdown());
        }
    }

    private void stopRendering(RunningStream running) {
        stopRendering(running, true);
    }

    private void stopRendering(RunningStream running, boolean deleteRing) {
        try {
            running.stop(config.render().stopTimeout(), deleteRing);
        } catch (RuntimeException e) {
            LOG.errorf(e, "stream %s: error while stopping rendering", running.spec().id());
        }
    }

    /**
     * Brings this instance's rendering of the stream to {@code spec} if it is newer than what runs: the new scene
     * from the next frame on. Returns what changed for this service ({@code scene}, or nothing). Streams not
     * rendered here are left to the instance that renders them.
     */
    /** Checks a changed spec's references (URLs, assets) before it is stored. */
    void checkReferences(StreamSpec spec) {
        references.check(spec);
    }

    public List<String> applyUpdate(StreamSpec spec) {
        StreamSpec complete = spec.withDefaults();
        return registry.find(complete.id()).map(running -> {
            StreamSpec before = running.spec();
            if (complete.version() <= before.version()) {
                return List.<String>of();
            }
            running.update(complete);
            boolean sceneChanged = !before.scene().equals(complete.scene());
            if (sceneChanged) {
                LOG.infof("stream %s (%s): scene of version %d drawn from the next frame", complete.id(),
                        complete.name(), complete.version());
            }
            return sceneChanged ? List.of(SpecChanges.SCENE) : List.<String>of();
        }).orElse(List.of());
    }
}
