package io.streammanager.gateway.it;

import io.streammanager.bus.testing.ExternalProcess;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.streammanager.bus.auth.AuthFailureLimiter;
import io.streammanager.gateway.relay.StreamRegistry;
import io.streammanager.gateway.server.ConnectionRegistry;
import io.streammanager.gateway.server.PlaybackServer;
import io.streammanager.gateway.server.RtmpServer;
import jakarta.inject.Inject;
import io.streammanager.gateway.relay.LiveStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
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
    @Inject
    PlaybackServer playback;

    Path dir;

    @BeforeEach
    void prepareGatewayTest(TestInfo test) throws IOException {
        dir = ItSupport.logDirectory(test);
        authFailures.clear();
    }

    /** The public playback listener's port (HTTP-FLV, WS-FLV); the APIs are on RestAssured's port. */
    int playbackPort() {
        return playback.actualPort();
    }

    /** RestAssured pointed at the playback port, with no API token: what a player sends. */
    RequestSpecification player() {
        return RestAssured.given().port(playbackPort());
    }

    /** The plain RTMP URL of {@code name} on this server. */
    String url(String name) {
        return ItSupport.url(server.actualPort(), name);
    }

    /** A publish key for {@code streamName}, written straight into Redis. */
    String createKey(String streamName) {
        return ItSupport.createKey(redis, streamName);
    }

    boolean published(String name) {
        return streams.find(name).map(LiveStream::hasPublisher).orElse(false);
    }

    /**
     * Starts a client (logged as {@code logName}) and waits up to {@code limit} for {@code ready}. A client that dies
     * first or never gets there fails the test with its output, and is stopped.
     */
    ExternalProcess startUntil(String logName, List<String> command, String what, Duration limit, BooleanSupplier ready)
            throws Exception {
        ExternalProcess process = ExternalProcess.start(logName, dir, command);
        try {
            ItSupport.await(what, limit, () -> ready.getAsBoolean() || !process.alive());
            assertTrue(process.alive(), process.tail());
        } catch (AssertionError | RuntimeException e) {
            process.close();
            throw new AssertionError(e.getMessage() + "\n" + process.tail(), e);
        }
        return process;
    }

    /** Starts a publisher of {@code name} ({@code command}) and waits until the gateway has it. */
    ExternalProcess startPublisher(String logName, String name, List<String> command) throws Exception {
        return startUntil(logName, command, "a publisher on " + name, Duration.ofSeconds(30), () -> published(name));
    }

    /** FFmpeg publishing a test pattern to {@code name} with {@code key} for {@code seconds}, once the gateway has it. */
    ExternalProcess startPublisher(String logName, String name, String key, int seconds) throws Exception {
        return startPublisher(logName, name, Clients.publish(url(name) + "?key=" + key, seconds));
    }

    ExternalProcess startPublisher(String name, String key, int seconds) throws Exception {
        return startPublisher("publish-" + name, name, key, seconds);
    }

    /** An E-RTMP publisher of {@code name}, once the gateway has its {@code fourCc} sequence start. */
    ExternalProcess startEnhancedPublisher(String name, int seconds, String fourCc, String... encoder) throws Exception {
        return startUntil("publish-" + name, Clients.publishEnhanced(url(name) + "?key=" + createKey(name), seconds, fourCc,
                encoder), "E-RTMP " + fourCc + " video on " + name, Duration.ofSeconds(30),
                () -> fourCc.equals(streams.find(name).map(LiveStream::videoCodec).orElse(null)));
    }
}
