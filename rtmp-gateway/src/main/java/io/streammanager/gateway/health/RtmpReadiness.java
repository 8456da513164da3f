package io.streammanager.gateway.health;

import io.streammanager.gateway.server.RtmpServer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the RTMP listener is bound: the gateway's own resource. The readiness endpoint reports beside it the
 * Redis client's check (keys, events) and the shared control loop's ({@code control-loop}: commands reach us).
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
