package io.streammanager.composition.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.streammanager.bus.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Redis address where nothing listens (a free loopback port) and an empty ring directory: the service as it is
 * while its Redis is down.
 */
public class UnreachableRedisResource implements QuarkusTestResourceLifecycleManager {

    private Path shmDir;

    @Override
    public Map<String, String> start() {
        try {
            shmDir = Files.createTempDirectory(Path.of("/dev/shm"), "sm-composition-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + FreePorts.next(),
                "composition.shm-dir", shmDir.toString());
    }

    @Override
    public void stop() {
        try {
            Files.deleteIfExists(shmDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
