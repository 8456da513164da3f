package io.streammanager.muxer.testing;

import io.streammanager.bus.testing.FreePorts;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.streammanager.bus.testing.RedisTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Redis (media-bus's RedisTestServer), a private shm root under /dev/shm and a free port for the gateway
 * listener, for {@code @QuarkusTest}s. Before the app starts it provisions one stream in Redis, so the test can see
 * the muxer pick it up at start.
 */
public class MuxerTestResource implements QuarkusTestResourceLifecycleManager {
    public static final String PROVISIONED_STREAM_ID = "provisioned-before-start";

    private RedisTestServer redis;
    private Path shmRoot;
    private Path recordings;

    @Override
    public Map<String, String> start() {
        redis = RedisTestServer.start();
        try {
            shmRoot = Files.createTempDirectory(Path.of("/dev/shm"), "muxer-quarkus-test-");
            recordings = Files.createTempDirectory("muxer-recordings-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Plain RESP over a socket: this runs before the app and must not load the Quarkus Redis client classes
        String spec = "{\"id\":\"" + PROVISIONED_STREAM_ID + "\",\"name\":\"provisioned\","
                + "\"video\":{\"width\":320,\"height\":240,\"fps\":30},\"outputs\":[],"
                + "\"gatewayKey\":\"provisioned-key\",\"createdAtMs\":1,\"version\":1}";
        RawRedis.command(redis.port(), "SET", "sm:stream:" + PROVISIONED_STREAM_ID, spec);
        RawRedis.command(redis.port(), "SADD", "sm:streams", PROVISIONED_STREAM_ID);
        int gatewayPort = FreePorts.next();
        return Map.of(
                "quarkus.redis.hosts", redis.uri(),
                "muxer.recordings.dir", recordings.toString(),
                "muxer.shm-dir", shmRoot.toString(),
                "muxer.gateway.publish-base-url", "rtmp://127.0.0.1:" + gatewayPort + "/live",
                "muxer.retry.delay", "100ms",
                "muxer.retry.max-delay", "400ms",
                "control.instance-id", "test");
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.close();
        }
        deleteTree(shmRoot);
        deleteTree(recordings);
    }

    private static void deleteTree(Path root) {
        if (root != null && Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
