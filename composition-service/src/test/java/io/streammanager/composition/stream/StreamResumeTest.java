package io.streammanager.composition.stream;

import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streammanager.bus.control.ControlLoop;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.bus.control.StreamSpecJson;
import io.streammanager.bus.control.spec.SceneSpec;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.VideoSpec;
import io.streammanager.bus.shm.FrameRingReader;
import io.streammanager.bus.shm.FrameView;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.composition.config.CompositionConfig;
import io.streammanager.composition.testing.RedisAndShmResource;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a restart of the composition service does to the streams stored in Redis. */
@QuarkusTest
@WithTestResource(RedisAndShmResource.class)
class StreamResumeTest {

    @Inject
    StreamLifecycle lifecycle;

    @Inject
    StreamRegistry registry;

    @Inject
    StreamStore store;

    @Inject
    RedisDataSource redis;

    @Inject
    CompositionConfig config;

    @Inject
    ControlLoop controlLoop;

    @BeforeEach
    void controlLoopHasResumed() throws InterruptedException {
        // the loop resumes asynchronously at startup; a spec stored before it scans would be resumed twice
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!controlLoop.resumed() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(controlLoop.resumed(), "control loop resumed");
    }

    @AfterEach
    void deleteEverything() {
        for (String id : redis.set(String.class).smembers(RedisKeys.STREAM_IDS)) {
            lifecycle.delete(id);
        }
    }

    @Test
    void aStreamStoredByAnEarlierInstanceIsRenderedAgainOnResume() throws Exception {
        StreamSpec stored = new StreamSpec("earlier0001", "earlier", new VideoSpec(160, 120, 20), SceneSpec.DEFAULT,
                null, null, "not-a-real-key", 1, 1).withDefaults();
        redis.value(String.class).set(RedisKeys.stream(stored.id()), StreamSpecJson.write(stored));
        redis.value(String.class).set(RedisKeys.streamName(stored.name()), stored.id());
        redis.set(String.class).sadd(RedisKeys.STREAM_IDS, stored.id());

        assertEquals(1, lifecycle.resumeStored(store.all()));

        Path ring = RingFiles.frameRing(config.shmDir(), stored.id());
        try (FrameRingReader reader = FrameRingReader.open(ring, Duration.ofSeconds(2))) {
            assertEquals(FrameRingReader.FRAME, reader.await(new FrameView(), Duration.ofSeconds(2).toNanos()));
        }
        asAdmin().when().get("/api/v1/streams/" + stored.id()).then().statusCode(200).body("state", equalTo("running"));
        assertEquals(0, lifecycle.resumeStored(store.all()), "a stream already rendered here is not started twice");
    }

    @Test
    void shutdownStopsRenderingAndDeletesRingsButKeepsRedisStateForTheNextStart() throws InterruptedException {
        StreamSpec created = lifecycle.create(new StreamSpec(null, "survivor", new VideoSpec(160, 120, 20), null,
                null, null, null, 0, 0));
        Path ring = RingFiles.frameRing(config.shmDir(), created.id());
        assertTrue(Files.exists(ring));
        // at a real shutdown the control loop has stopped first; here it runs, so let it take the create's StartStream
        // (a no-op for a stream rendered here) before the stop, or it would render the stored stream again
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!"1".equals(redis.hash(String.class).hget(RedisKeys.streamStatus(created.id()), "composition.version"))
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        lifecycle.stopAll();

        assertFalse(Files.exists(ring), "shutdown leaves /dev/shm clean");
        assertEquals(0, registry.size());
        assertNotNull(redis.value(String.class).get(RedisKeys.stream(created.id())), "a shutdown is not a delete");
        asAdmin().when().get("/api/v1/streams/" + created.id()).then().statusCode(200).body("state", equalTo("idle"));

        assertEquals(1, lifecycle.resumeStored(store.all()));
        assertTrue(Files.exists(ring));
        assertTrue(registry.find(created.id()).isPresent());
    }
}
