package io.streammanager.encoder.thumbnail;

import java.time.Duration;
import java.util.List;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.sortedset.SortedSetCommands;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.bus.control.ThumbnailEntry;

/**
 * A stream's thumbnails in Redis ({@link RedisKeys#thumbnails}, {@link RedisKeys#thumbnail}): each JPEG under its
 * own key with a TTL, indexed by capture time in a sorted set trimmed to the newest {@code keep}. One writer per
 * stream (its encoder), so no transaction is needed; a reader may briefly see an index entry whose JPEG has just been
 * trimmed, and answers 404 for it.
 */
final class ThumbnailStore {

    private final ValueCommands<String, byte[]> images;
    private final SortedSetCommands<String, String> index;
    private final RedisDataSource redis;
    private final int keep;
    private final long ttlMs;

    ThumbnailStore(RedisDataSource redis, int keep, Duration ttl) {
        this.redis = redis;
        this.images = redis.value(byte[].class);
        this.index = redis.sortedSet(String.class);
        this.keep = keep;
        this.ttlMs = ttl.toMillis();
    }

    void put(String streamId, ThumbnailEntry entry, byte[] jpeg) {
        images.psetex(RedisKeys.thumbnail(streamId, entry.captureTimeMs()), ttlMs, jpeg);
        String set = RedisKeys.thumbnails(streamId);
        index.zadd(set, entry.captureTimeMs(), entry.member());
        List<String> old = index.zrange(set, 0, -(keep + 1L));
        if (!old.isEmpty()) {
            redis.key().del(old.stream().map(member -> imageKey(streamId, member)).toArray(String[]::new));
            index.zremrangebyrank(set, 0, -(keep + 1L));
        }
        redis.key().pexpire(set, ttlMs);
    }

    /** Deletes every thumbnail of the stream (it was deleted). */
    void forget(String streamId) {
        String set = RedisKeys.thumbnails(streamId);
        List<String> all = index.zrange(set, 0, -1);
        String[] keys = new String[all.size() + 1];
        for (int i = 0; i < all.size(); i++) {
            keys[i] = imageKey(streamId, all.get(i));
        }
        keys[all.size()] = set;
        redis.key().del(keys);
    }

    private static String imageKey(String streamId, String member) {
        return RedisKeys.thumbnail(streamId, ThumbnailEntry.parse(member).captureTimeMs());
    }
}
