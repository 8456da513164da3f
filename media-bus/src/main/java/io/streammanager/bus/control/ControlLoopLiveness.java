package io.streammanager.bus.control;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** The control plane's part of every service's liveness: the command loop is running and going round. */
@Liveness
@ApplicationScoped
class ControlLoopLiveness implements HealthCheck {

    private final ControlLoop loop;

    ControlLoopLiveness(ControlLoop loop) {
        this.loop = loop;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("control-loop")
                .status(loop.live())
                .withData("enabled", loop.enabled())
                .withData("lastIterationMs", loop.iterationAgeMs())
                .build();
    }
}
