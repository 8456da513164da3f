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
                "gateway.rtmp.port", Integer.toString(freePort()),
                "gateway.rtmp.event-loops", "2",
                "gateway.rtmp.ping", "2s",
                "gateway.rtmp.ping-timeout", "10s",
                "gateway.rtmp.handshake-timeout", "2s");
    }

    /** A free loopback port (a fixed port, unlike 0, lets two listeners share it on two event loops). */
    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.close();
        }
    }
}
