package io.streammanager.gateway.it;

import io.quarkus.redis.datasource.RedisDataSource;
import io.streammanager.gateway.auth.AuthFailureLimiter;
import io.streammanager.gateway.relay.StreamRegistry;
import io.streammanager.gateway.server.ConnectionRegistry;
import io.streammanager.gateway.server.RtmpServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * What the gateway's integration tests start from: the running server's beans, a log directory per test method
 * ({@code target/it-logs/<method>}) and a cleared auth failure limiter (every client here is 127.0.0.1, so one test's
 * refusals must not block the next test's publishers).
 */
abstract class GatewayIT {

    @Inject
    RtmpServer server;
    @Inject
    RedisDataSource redis;
    @Inject
    StreamRegistry streams;
    @Inject
    ConnectionRegistry connections;
    @Inject
    AuthFailureLimiter authFailures;

    Path dir;

    @BeforeEach
    void prepareGatewayTest(TestInfo test) throws IOException {
        dir = ItSupport.logDirectory(test);
        authFailures.clear();
    }

    /** The plain RTMP URL of {@code name} on this server. */
    String url(String name) {
        return ItSupport.url(server.actualPort(), name);
    }

    /** A publish key for {@code streamName}, written straight into Redis. */
    String createKey(String streamName) {
        return ItSupport.createKey(redis, streamName);
    }
}
