package io.streammanager.bus.testing;

import java.time.Duration;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.runtime.datasource.BlockingRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;

/** A Quarkus {@link RedisDataSource} outside a Quarkus app, for plain JUnit tests against a {@link RedisTestServer}. */
public final class TestRedisClient implements AutoCloseable {

    private final Vertx vertx;
    private final Redis redis;
    private final RedisDataSource dataSource;

    public TestRedisClient(RedisTestServer server) {
        this.vertx = Vertx.vertx();
        this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri()).setMaxPoolSize(8));
        this.dataSource = new BlockingRedisDataSourceImpl(vertx, redis, RedisAPI.api(redis), Duration.ofSeconds(10));
    }

    public RedisDataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        redis.close();
        vertx.closeAndAwait();
    }
}
