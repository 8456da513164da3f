package io.streammanager.gateway.health;

import io.streammanager.gateway.server.RtmpServer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the RTMP listener is bound. Redis (keys, commands, events) is the Redis client's own readiness check,
 * which the readiness endpoint reports beside this one.
 */
@Readiness
@ApplicationScoped
public class RtmpReadiness implements HealthCheck {

    private final RtmpServer server;

    public RtmpReadiness(RtmpServer server) {
        this.server = server;
    }

    @Override
    public HealthCheckResponse call() {
        boolean bound = server.bound();
        return HealthCheckResponse.named("rtmp-gateway")
                .status(bound)
                .withData("listenerBound", bound)
                .withData("rtmpPort", server.actualPort())
                .build();
    }
}
