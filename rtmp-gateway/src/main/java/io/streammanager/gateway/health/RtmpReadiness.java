package io.streammanager.gateway.health;

import io.streammanager.gateway.server.PlaybackServer;
import io.streammanager.gateway.server.RtmpServer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the RTMP listener and the public playback (HTTP-FLV/WS-FLV) listener are bound: the gateway's own
 * resources. The readiness endpoint reports beside it the Redis client's check (keys, events) and the shared control
 * loop's ({@code control-loop}: commands reach us).
 */
@Readiness
@ApplicationScoped
public class RtmpReadiness implements HealthCheck {

    private final RtmpServer server;
    private final PlaybackServer playback;

    public RtmpReadiness(RtmpServer server, PlaybackServer playback) {
        this.server = server;
        this.playback = playback;
    }

    @Override
    public HealthCheckResponse call() {
        boolean bound = server.bound();
        boolean playbackBound = playback.bound();
        return HealthCheckResponse.named("rtmp-gateway")
                .status(bound && playbackBound)
                .withData("listenerBound", bound)
                .withData("rtmpPort", server.actualPort())
                .withData("playbackListenerBound", playbackBound)
                .withData("playbackPort", playback.actualPort())
                .build();
    }
}
