package io.streammanager.composition.stream;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.streammanager.composition.scene.TextOverlay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Ties rendering to the application's life: at startup every stream stored in Redis is rendered again (a new
 * producer generation on its ring tells the encoder), at shutdown every render thread stops and unmaps.
 */
@ApplicationScoped
class StartupResume {

    private static final Logger LOG = Logger.getLogger(StartupResume.class);

    private final StreamLifecycle lifecycle;

    StartupResume(StreamLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    void onStart(@Observes StartupEvent event) {
        Thread.ofPlatform().name("text-warm-up").daemon(true).start(TextOverlay::warmUp);
        try {
            int resumed = lifecycle.resumeStored();
            if (resumed > 0) {
                LOG.infof("resumed %d stored stream(s)", resumed);
            }
        } catch (RuntimeException e) {
            LOG.errorf("could not read stored streams to resume them (is Redis up?): %s", e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        lifecycle.stopAll();
    }
}
