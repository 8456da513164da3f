package io.streammanager.bus.control;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The control plane's part of every service's readiness: commands reach this instance (group joined, stored streams
 * resumed, Redis answered the loop recently). The service's own checks add its resources (rings, listeners).
 */
@Readiness
@ApplicationScoped
class ControlLoopReadiness implements HealthCheck {

    private final ControlLoop loop;

    ControlLoopReadiness(ControlLoop loop) {
        this.loop = loop;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("control-loop")
                .status(loop.ready())
                .withData("service", loop.identity().service())
                .withData("instance", loop.identity().instanceId())
                .withData("enabled", loop.enabled())
                .withData("groupJoined", loop.groupJoined())
                .withData("resumed", loop.resumed())
                .withData("lastRedisMs", loop.redisAgeMs())
                .build();
    }
}
