package io.streammanager.composition.assets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.set.SetCommands;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.composition.config.CompositionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where assets live so that every composition instance can read them: the description as JSON at
 * {@code sm:asset:<id>}, the ids in {@code sm:assets}, and the bytes either at {@code sm:asset:<id>:data} (up to
 * {@code composition.assets.redis-max-bytes}) or as {@code <composition.assets.dir>/<id>} on a shared volume.
 * The bytes are written before the description, so a half-stored asset is never listed. Blocking: worker threads.
 */
@ApplicationScoped
public class AssetStore {

    static final String IDS = RedisKeys.ASSET_IDS;

    private final ValueCommands<String, String> text;
    private final ValueCommands<String, byte[]> binary;
    private final SetCommands<String, String> sets;
    private final KeyCommands<String> keys;
    private final ObjectMapper json;
    private final Optional<Path> dir;

    public AssetStore(RedisDataSource redis, ObjectMapper json, CompositionConfig config) {
        this.text = redis.value(String.class);
        this.binary = redis.value(byte[].class);
        this.sets = redis.set(String.class);
        this.keys = redis.key();
        this.json = json;
        this.dir = config.assets().dir();
    }

    static String key(String id) {
        return RedisKeys.asset(id);
    }

    static String dataKey(String id) {
        return RedisKeys.assetData(id);
    }

    void saveInRedis(Asset asset, byte[] data) {
        binary.set(dataKey(asset.id()), data);
        saveDescription(asset);
    }

    /** Moves a complete, checked upload into the asset directory under its id, then describes it. */
    void saveInDir(Asset asset, Path upload) {
        Path target = dirOrThrow().resolve(asset.id());
        try {
            Files.move(upload, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("asset " + asset.id() + ": cannot store in " + target.getParent(), e);
        }
        saveDescription(asset);
    }

    private void saveDescription(Asset asset) {
        try {
            text.set(key(asset.id()), json.writeValueAsString(new StoredAsset(asset)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("asset " + asset.id() + ": cannot encode", e);
        }
        sets.sadd(IDS, asset.id());
    }

    public Optional<Asset> find(String id) {
        if (!AssetIds.isValid(id)) {
            return Optional.empty();
        }
        String stored = text.get(key(id));
        if (stored == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(stored, StoredAsset.class).asset());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("asset " + id + ": stored description unreadable", e);
        }
    }

    public List<Asset> all() {
        List<Asset> assets = new ArrayList<>();
        for (String id : sets.smembers(IDS)) {
            find(id).ifPresent(assets::add);
        }
        assets.sort(Comparator.comparingLong(Asset::createdAtMs).thenComparing(Asset::id));
        return assets;
    }

    /** The bytes of an asset kept in Redis; empty for one kept in the directory (read that with {@link #file}). */
    public Optional<byte[]> bytes(Asset asset) {
        return Asset.IN_REDIS.equals(asset.storedIn()) ? Optional.ofNullable(binary.get(dataKey(asset.id())))
                : Optional.empty();
    }

    public Optional<Path> file(Asset asset) {
        return Asset.IN_DIR.equals(asset.storedIn()) ? dir.map(d -> d.resolve(asset.id())) : Optional.empty();
    }

    /** The bytes wherever they are (for pictures, which are small enough to hold). */
    public byte[] read(Asset asset) {
        Optional<Path> file = file(asset);
        if (file.isPresent()) {
            try {
                return Files.readAllBytes(file.get());
            } catch (IOException e) {
                throw new UncheckedIOException("asset " + asset.id() + ": cannot read " + file.get(), e);
            }
        }
        return bytes(asset).orElseThrow(() -> new AssetNotFoundException(asset.id()));
    }

    void delete(Asset asset) {
        sets.srem(IDS, asset.id());
        keys.del(key(asset.id()), dataKey(asset.id()));
        file(asset).ifPresent(path -> {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("asset " + asset.id() + ": cannot delete " + path, e);
            }
        });
    }

    Optional<Path> dir() {
        return dir;
    }

    private Path dirOrThrow() {
        return dir.orElseThrow(() -> new IllegalStateException("no composition.assets.dir configured"));
    }

    /** The stored form: the API's fields plus where the bytes are. */
    record StoredAsset(String id, String type, int width, int height, long durationMs, long bytes, long createdAtMs,
                       String storedIn) {

        StoredAsset(Asset asset) {
            this(asset.id(), asset.type(), asset.width(), asset.height(), asset.durationMs(), asset.bytes(),
                    asset.createdAtMs(), asset.storedIn());
        }

        Asset asset() {
            return new Asset(id, type, width, height, durationMs, bytes, createdAtMs, storedIn);
        }
    }
}
