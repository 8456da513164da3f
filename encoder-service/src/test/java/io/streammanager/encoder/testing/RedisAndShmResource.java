package io.streammanager.encoder.testing;

import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.bus.control.StreamSpecJson;
import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.VideoSpec;
import io.streammanager.bus.testing.RedisTestServer;
import io.streammanager.bus.testing.TestRedisClient;

/**
 * A real Redis and a temporary shm directory for a Quarkus test. Before the app starts, one stream is stored in
 * Redis (as the composition service would have), so the test can see the encoder resume it.
 */
public final class RedisAndShmResource implements QuarkusTestResourceLifecycleManager {

    public static final String STORED_STREAM = "stored-stream";

    private RedisTestServer redis;
    private ShmTestDir shm;

    @Override
    public Map<String, String> start() {
        redis = RedisTestServer.start();
        shm = ShmTestDir.create();
        try (TestRedisClient client = new TestRedisClient(redis)) {
            StreamSpec stored = spec(STORED_STREAM, 7);
            client.dataSource().value(String.class).set(RedisKeys.stream(STORED_STREAM), StreamSpecJson.write(stored));
            client.dataSource().set(String.class).sadd(RedisKeys.STREAM_IDS, STORED_STREAM);
        }
        return Map.of(
                "quarkus.redis.hosts", redis.uri(),
                "encoder.shm-dir", shm.path().toString(),
                "control.instance-id", "encoder-test",
                "encoder.ring.open-timeout", "500ms");
    }

    /** A 320x240@30 stream, 400 kbps, keyframe every second. */
    public static StreamSpec spec(String id, long version) {
        return new StreamSpec(id, id + "-name", new VideoSpec(320, 240, 30), null,
                new EncoderSpec("h264", "veryfast", "zerolatency", 400, 1), List.of(), "secret-not-logged",
                System.currentTimeMillis(), version);
    }

    @Override
    public void stop() {
        if (shm != null) {
            shm.close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
