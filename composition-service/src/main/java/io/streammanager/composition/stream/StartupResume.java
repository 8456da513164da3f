package io.streammanager.composition.stream;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.streammanager.composition.scene.TextOverlay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Ties rendering to the application's life: a warm-up at startup, and at shutdown every render thread stops and
 * unmaps. The stored streams are resumed by the shared control loop ({@code CompositionCommands#resume}), which
 * hands them over once it has joined the command group, so no command falls between the two.
 */
@ApplicationScoped
class StartupResume {

    private final StreamLifecycle lifecycle;

    StartupResume(StreamLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    void onStart(@Observes StartupEvent event) {
        Thread.ofPlatform().name("text-warm-up").daemon(true).start(TextOverlay::warmUp);
    }

    /** After the control loop has stopped (it stops first), so no command starts a stream behind this. */
    void onStop(@Observes ShutdownEvent event) {
        lifecycle.stopAll();
    }
}
