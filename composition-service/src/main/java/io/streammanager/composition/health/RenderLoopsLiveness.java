package io.streammanager.composition.health;

import io.streammanager.composition.config.CompositionConfig;
import io.streammanager.composition.stream.RunningStream;
import io.streammanager.composition.stream.StreamRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while every render loop has published a frame within {@code composition.render.stall-timeout} (2 s).
 * A loop that has not produced its first frame yet is judged from the moment it was registered.
 */
@Liveness
@ApplicationScoped
public class RenderLoopsLiveness implements HealthCheck {

    private final StreamRegistry registry;
    private final Duration stallTimeout;

    public RenderLoopsLiveness(StreamRegistry registry, CompositionConfig config) {
        this.registry = registry;
        this.stallTimeout = config.render().stallTimeout();
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("render loops").up();
        long now = System.nanoTime();
        int stalled = 0;
        for (RunningStream stream : registry.all()) {
            long last = Math.max(stream.stats().lastFrameNanos(), stream.startedNanos());
            long ageMs = (now - last) / 1_000_000;
            if (ageMs > stallTimeout.toMillis()) {
                stalled++;
                response.withData(stream.spec().id(), "no frame for " + ageMs + " ms");
            }
        }
        response.withData("streams", registry.size());
        return stalled == 0 ? response.build() : response.down().build();
    }
}
