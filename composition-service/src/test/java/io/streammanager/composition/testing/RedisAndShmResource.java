package io.streammanager.composition.testing;

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
 * A real Redis on a free port and a fresh ring directory under /dev/shm for one @QuarkusTest class; both are
 * gone afterwards (the directory with anything left in it).
 */
public class RedisAndShmResource implements QuarkusTestResourceLifecycleManager {

    private RedisTestServer redis;
    private Path shmDir;

    @Override
    public Map<String, String> start() {
        redis = RedisTestServer.start();
        try {
            shmDir = Files.createTempDirectory(Path.of("/dev/shm"), "sm-composition-test-");
        } catch (IOException e) {
            redis.close();
            throw new UncheckedIOException(e);
        }
        // assets beyond the Redis limit go to a directory inside the test's own ring directory, removed with it
        return Map.of("quarkus.redis.hosts", redis.uri(), "composition.shm-dir", shmDir.toString(),
                "composition.assets.dir", shmDir.resolve("assets").toString());
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.close();
        }
        if (shmDir != null) {
            try (Stream<Path> files = Files.walk(shmDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(RedisAndShmResource::deleteQuietly);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
