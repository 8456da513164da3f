package io.streammanager.bus.control;

import java.time.Duration;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;

/** Instance liveness in Redis: a key per instance that expires unless beaten again. Blocking. */
public final class Heartbeats {

    private final ValueCommands<String, String> values;
    private final String key;

    public Heartbeats(RedisDataSource redis, String service, String instanceId) {
        this.values = redis.value(String.class);
        this.key = RedisKeys.heartbeat(service, instanceId);
    }

    /** Marks this instance alive for {@code ttl}. */
    public void beat(Duration ttl) {
        values.psetex(key, Math.max(1, ttl.toMillis()), Long.toString(System.currentTimeMillis()));
    }

    public boolean alive(String service, String instanceId) {
        return values.get(RedisKeys.heartbeat(service, instanceId)) != null;
    }
}
