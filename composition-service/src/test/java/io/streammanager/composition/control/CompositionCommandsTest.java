package io.streammanager.composition.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streammanager.bus.control.CommandBus;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.bus.control.StartStream;
import io.streammanager.bus.control.StopStream;
import io.streammanager.bus.control.StreamSpecJson;
import io.streammanager.bus.control.UpdateStream;
import io.streammanager.bus.control.spec.SceneSpec;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.VideoSpec;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.composition.config.CompositionConfig;
import io.streammanager.composition.stream.StreamLifecycle;
import io.streammanager.composition.stream.StreamRegistry;
import io.streammanager.composition.testing.RedisAndShmResource;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The composition as a member of the shared control loop: commands it did not issue itself over REST. */
@QuarkusTest
@WithTestResource(RedisAndShmResource.class)
class CompositionCommandsTest {

    @Inject
    RedisDataSource redis;

    @Inject
    StreamRegistry registry;

    @Inject
    StreamLifecycle lifecycle;

    @Inject
    CompositionConfig config;

    @AfterEach
    void deleteEverything() {
        for (String id : redis.set(String.class).smembers(RedisKeys.STREAM_IDS)) {
            lifecycle.delete(id);
        }
    }

    @Test
    void aStartForAStoredStreamNotRenderedHereRendersItAndAStopEndsIt() throws Exception {
        StreamSpec spec = stored("cmd000000001", "commanded");

        new CommandBus(redis).publish(new StartStream(spec));
        assertTrue(await(() -> registry.find(spec.id()).isPresent()), "rendering after StartStream");
        assertTrue(Files.exists(RingFiles.frameRing(config.shmDir(), spec.id())));
        assertTrue(await(() -> "1".equals(status(spec.id()))), "composition.version recorded by the loop");

        new CommandBus(redis).publish(new StopStream(spec.id(), spec.name(), "test"));
        assertTrue(await(() -> registry.find(spec.id()).isEmpty()), "rendering stopped after StopStream");
        assertTrue(await(() -> !Files.exists(RingFiles.frameRing(config.shmDir(), spec.id()))), "ring deleted");
    }

    @Test
    void aStartForAStreamNoLongerStoredRendersNothing() throws Exception {
        StreamSpec gone = new StreamSpec("cmd000000002", "gone", new VideoSpec(160, 120, 20), SceneSpec.DEFAULT,
                null, null, "not-a-real-key", 1, 1);
        CommandBus commands = new CommandBus(redis);
        commands.publish(new StartStream(gone));
        StreamSpec marker = stored("cmd000000003", "marker");
        commands.publish(new StartStream(marker)); // handled after the first one: once it runs, the first was skipped

        assertTrue(await(() -> registry.find(marker.id()).isPresent()));
        assertTrue(registry.find(gone.id()).isEmpty(), "a deleted stream is not brought back by a late StartStream");
    }

    @Test
    void anUpdateIsAcknowledgedWithItsVersion() throws Exception {
        StreamSpec spec = stored("cmd000000004", "updated");
        new CommandBus(redis).publish(new StartStream(spec));
        assertTrue(await(() -> registry.find(spec.id()).isPresent()));

        StreamSpec next = new StreamSpec(spec.id(), spec.name(), spec.video(), spec.scene(), spec.encoder(),
                spec.outputs(), spec.gatewayKey(), spec.createdAtMs(), 2);
        new CommandBus(redis).publish(new UpdateStream(next, List.of("scene")));
        assertTrue(await(() -> "2".equals(status(spec.id()))), "composition.version 2");
        assertEquals(1, registry.size(), "the stream kept rendering");
    }

    private StreamSpec stored(String id, String name) {
        StreamSpec spec = new StreamSpec(id, name, new VideoSpec(160, 120, 20), SceneSpec.DEFAULT, null, null,
                "not-a-real-key", 1, 1).withDefaults();
        redis.value(String.class).set(RedisKeys.stream(spec.id()), StreamSpecJson.write(spec));
        redis.value(String.class).set(RedisKeys.streamName(spec.name()), spec.id());
        redis.set(String.class).sadd(RedisKeys.STREAM_IDS, spec.id());
        return spec;
    }

    private String status(String streamId) {
        return redis.hash(String.class).hget(RedisKeys.streamStatus(streamId), "composition.version");
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
