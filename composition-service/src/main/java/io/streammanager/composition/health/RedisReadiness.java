package io.streammanager.composition.health;

import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when Redis answers a PING: without it no stream can be created, listed or deleted. */
@Readiness
@ApplicationScoped
public class RedisReadiness implements HealthCheck {

    private final RedisDataSource redis;

    public RedisReadiness(RedisDataSource redis) {
        this.redis = redis;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            redis.execute("PING");
            return HealthCheckResponse.up("redis");
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("redis").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
