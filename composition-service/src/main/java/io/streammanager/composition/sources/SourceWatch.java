package io.streammanager.composition.sources;

import io.quarkus.runtime.ShutdownEvent;
import io.streammanager.composition.events.LifecycleEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Looks at every source five times a second, on one thread: reports state changes on the events feed (a stall is
 * the absence of frames, so no source thread could report it) and computes each source's frame rate. Publishing
 * blocks on Redis, which is why neither the frame clock nor a decoder does it.
 */
@ApplicationScoped
public class SourceWatch {

    static final long PERIOD_MS = 200;
    private static final Logger LOG = Logger.getLogger(SourceWatch.class);

    private final LifecycleEvents events;
    private final Map<MediaSource, Watched> watched = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    private static final class Watched {
        final String streamId;
        final SourceMeters meters;
        SourceState reported;
        long frames;
        long atNs = System.nanoTime();

        Watched(String streamId, SourceMeters meters) {
            this.streamId = streamId;
            this.meters = meters;
        }
    }

    public SourceWatch(LifecycleEvents events) {
        this.events = events;
    }

    synchronized void watch(String streamId, MediaSource source, SourceMeters meters) {
        watched.put(source, new Watched(streamId, meters));
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("source-watch")
                    .daemon(true).unstarted(r));
            timer.scheduleWithFixedDelay(this::tick, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
        }
    }

    void unwatch(MediaSource source) {
        watched.remove(source);
    }

    private void tick() {
        for (Map.Entry<MediaSource, Watched> entry : watched.entrySet()) {
            try {
                observe(entry.getKey(), entry.getValue());
            } catch (RuntimeException e) {
                // the watch must go on for the other sources
                LOG.warnf("source watch: %s", e.getMessage());
            }
        }
    }

    private void observe(MediaSource source, Watched w) {
        long now = System.nanoTime();
        long frames = (long) w.meters.decodedCount();
        w.meters.fps((frames - w.frames) * 1e9 / Math.max(1, now - w.atNs));
        w.frames = frames;
        w.atNs = now;
        SourceState state = source.state();
        if (state != w.reported) {
            w.reported = state;
            events.sourceState(w.streamId, source.name(), state.label(),
                    state == SourceState.FAILED ? source.lastError() : null);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        synchronized (this) {
            if (timer != null) {
                timer.shutdownNow();
            }
        }
    }
}
