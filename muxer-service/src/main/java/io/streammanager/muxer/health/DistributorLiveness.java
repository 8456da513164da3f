package io.streammanager.muxer.health;

import io.streammanager.muxer.pipeline.PipelineManager;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while every stream's distributor loop keeps turning. The command loop's liveness is the shared control
 * loop's own check ({@code control-loop}).
 */
@Liveness
@ApplicationScoped
public class DistributorLiveness implements HealthCheck {
    static final long MAX_LOOP_AGE_NS = TimeUnit.SECONDS.toNanos(5);

    private final PipelineManager pipelines;

    public DistributorLiveness(PipelineManager pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public HealthCheckResponse call() {
        long distributorAgeNs = pipelines.oldestLoopAgeNanos();
        boolean up = distributorAgeNs < MAX_LOOP_AGE_NS;
        return HealthCheckResponse.named("muxer-loops").status(up)
                .withData("streams", pipelines.streamCount())
                .withData("oldestDistributorLoopMs", TimeUnit.NANOSECONDS.toMillis(distributorAgeNs))
                .build();
    }
}
