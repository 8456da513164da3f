package io.streammanager.encoder.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import io.streammanager.encoder.pipeline.StreamStats;
import io.streammanager.encoder.pipeline.StreamWorkers;

/** Live while every running worker's loop turned within the last two seconds; reports each stream's encoder. */
@Liveness
@ApplicationScoped
public class WorkersLiveness implements HealthCheck {

    static final long MAX_LOOP_AGE_MS = 2_000;

    private final StreamWorkers workers;

    public WorkersLiveness(StreamWorkers workers) {
        this.workers = workers;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("encoder-workers");
        boolean up = true;
        for (StreamStats stats : workers.stats()) {
            boolean active = stats.state() == StreamStats.State.ENCODING
                    || stats.state() == StreamStats.State.WAITING_FOR_FRAMES;
            long ageMs = stats.loopAgeMs();
            if (active && ageMs > MAX_LOOP_AGE_MS) {
                up = false;
            }
            response.withData(stats.streamId(), stats.state() + " encoder=" + stats.encoderName()
                    + " loopAgeMs=" + (active ? ageMs : -1));
        }
        return response.status(up).build();
    }
}
