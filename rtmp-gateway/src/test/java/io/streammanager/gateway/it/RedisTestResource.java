package io.streammanager.gateway.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.streammanager.bus.testing.RedisTestServer;
import java.util.Map;

/** A real Redis for @QuarkusTest (Debian's redis-server or embedded-redis), and the RTMP listener on a free port. */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private RedisTestServer redis;

    @Override
    public Map<String, String> start() {
        redis = RedisTestServer.start();
        return Map.of(
                "quarkus.redis.hosts", redis.uri(),
                "gateway.rtmp.port", "0",
                "gateway.rtmp.ping", "2s",
                "gateway.rtmp.ping-timeout", "10s",
                "gateway.rtmp.handshake-timeout", "2s");
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.close();
        }
    }
}
