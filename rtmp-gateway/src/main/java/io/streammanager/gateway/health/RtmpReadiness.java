package io.streammanager.gateway.health;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.streammanager.gateway.server.RtmpServer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the RTMP listener is bound and Redis answers PING (keys and commands need it). */
@Readiness
@ApplicationScoped
public class RtmpReadiness implements AsyncHealthCheck {

    private final RtmpServer server;
    private final ReactiveRedisDataSource redis;

    public RtmpReadiness(RtmpServer server, ReactiveRedisDataSource redis) {
        this.server = server;
        this.redis = redis;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        boolean bound = server.bound();
        return redis.execute("PING")
                .ifNoItem().after(Duration.ofSeconds(1)).fail()
                .map(reply -> true)
                .onFailure().recoverWithItem(false)
                .map(redisUp -> HealthCheckResponse.named("rtmp-gateway")
                        .status(bound && redisUp)
                        .withData("listenerBound", bound)
                        .withData("rtmpPort", server.actualPort())
                        .withData("redis", redisUp)
                        .build());
    }
}
