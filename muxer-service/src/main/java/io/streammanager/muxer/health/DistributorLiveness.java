package io.streammanager.muxer.health;

import io.streammanager.muxer.control.CommandConsumer;
import io.streammanager.muxer.pipeline.PipelineManager;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while every stream's distributor loop and the command loop keep turning. */
@Liveness
@ApplicationScoped
public class DistributorLiveness implements HealthCheck {
    static final long MAX_LOOP_AGE_NS = TimeUnit.SECONDS.toNanos(5);
    /** The command loop blocks in Redis reads and backs off while Redis is down: allow for that. */
    static final long MAX_COMMAND_LOOP_AGE_NS = TimeUnit.SECONDS.toNanos(30);

    private final PipelineManager pipelines;
    private final CommandConsumer commands;

    public DistributorLiveness(PipelineManager pipelines, CommandConsumer commands) {
        this.pipelines = pipelines;
        this.commands = commands;
    }

    @Override
    public HealthCheckResponse call() {
        long distributorAgeNs = pipelines.oldestLoopAgeNanos();
        long commandAgeNs = commands.loopAgeNanos();
        boolean up = distributorAgeNs < MAX_LOOP_AGE_NS && commandAgeNs < MAX_COMMAND_LOOP_AGE_NS;
        return HealthCheckResponse.named("muxer-loops").status(up)
                .withData("streams", pipelines.streamCount())
                .withData("oldestDistributorLoopMs", TimeUnit.NANOSECONDS.toMillis(distributorAgeNs))
                .withData("commandLoopMs", TimeUnit.NANOSECONDS.toMillis(commandAgeNs))
                .build();
    }
}
