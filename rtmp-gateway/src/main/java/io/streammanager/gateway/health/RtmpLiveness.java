package io.streammanager.gateway.health;

import io.streammanager.gateway.server.RtmpServer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the RTMP server's event loop keeps running its 1 s timer. */
@Liveness
@ApplicationScoped
public class RtmpLiveness implements HealthCheck {

    private static final long STALL_LIMIT_NS = 5_000_000_000L;
    private final RtmpServer server;

    public RtmpLiveness(RtmpServer server) {
        this.server = server;
    }

    @Override
    public HealthCheckResponse call() {
        long stallMs = server.loopStallNs() / 1_000_000;
        return HealthCheckResponse.named("rtmp-loop")
                .status(server.loopStallNs() < STALL_LIMIT_NS)
                .withData("lastTickAgeMs", stallMs)
                .build();
    }
}
