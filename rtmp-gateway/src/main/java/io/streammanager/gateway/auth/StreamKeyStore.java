package io.streammanager.gateway.auth;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.bus.control.StreamKeyRecord;
import io.streammanager.bus.control.StreamKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Stream keys as the key API manages them (blocking Redis calls: callers run on worker threads). The verifier finds a
 * key by its secret's hash; this index finds it by id without the secret:
 *
 * <pre>
 * sm:key:{sha256-hex}   hash  the key's record ({@link StreamKeyRecord}), as the verifier reads it
 * sm:key-id:{id}        hash  hash = the secret's sha256-hex, hint = its first characters, createdAtMs
 * sm:key-ids            set   every key id
 * </pre>
 *
 * The two index names are gateway-local until media-bus's {@code RedisKeys} owns them. Rotate and revoke read then
 * write several keys, so they are serialised: a revoke racing a rotate must not leave the new secret unrevoked, nor
 * two rotations leave an orphaned valid secret. (Across gateway instances this needs a WATCH/MULTI; not done yet.)
 */
@ApplicationScoped
public class StreamKeyStore {

    private static final Logger LOG = Logger.getLogger(StreamKeyStore.class);
    private static final String KEY_IDS = RedisKeys.KEY_IDS;
    private static final String FIELD_HASH = "hash";
    private static final String FIELD_HINT = "hint";
    private static final String FIELD_CREATED = "createdAtMs";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key as listed: never its secret. */
    public record StoredKey(String id, StreamKeyRecord record, long createdAtMs, String secretHint) {
    }

    /** A key just created or rotated, with the one and only copy of its secret. */
    public record IssuedKey(StoredKey key, String secret) {
    }

    private final RedisDataSource redis;
    private final LongSupplier clockMs = System::currentTimeMillis;

    public StreamKeyStore(RedisDataSource redis) {
        this.redis = redis;
    }

    public long nowMs() {
        return clockMs.getAsLong();
    }

    public IssuedKey create(KeyRules.NewKey request) {
        String id = newId();
        String secret = StreamKeys.generate();
        long createdAtMs = nowMs();
        StreamKeyRecord record = new StreamKeyRecord(request.streamName(), request.scopes(), streamIdOf(request.streamName()),
                request.expiresAtMs(), false);
        String hash = StreamKeys.hash(secret);
        hashes().hset(RedisKeys.streamKey(hash), record.toMap());
        hashes().hset(keyId(id), Map.of(FIELD_HASH, hash, FIELD_HINT, KeyRules.hint(secret),
                FIELD_CREATED, Long.toString(createdAtMs)));
        redis.set(String.class).sadd(KEY_IDS, id);
        LOG.infof("keys: created id=%s stream=%s scopes=%s", id, record.streamName(), KeyRules.scopeNames(record.scopes()));
        return new IssuedKey(new StoredKey(id, record, createdAtMs, KeyRules.hint(secret)), secret);
    }

    public List<StoredKey> list() {
        List<StoredKey> keys = new ArrayList<>();
        for (String id : redis.set(String.class).smembers(KEY_IDS)) {
            find(id).ifPresent(keys::add);
        }
        keys.sort(Comparator.comparingLong(StoredKey::createdAtMs).thenComparing(StoredKey::id));
        return keys;
    }

    public Optional<StoredKey> find(String id) {
        return index(id).flatMap(index -> recordAt(index.get(FIELD_HASH)).map(record -> new StoredKey(id, record,
                parseLong(index.get(FIELD_CREATED)), index.getOrDefault(FIELD_HINT, ""))));
    }

    /**
     * A new secret for the key; the old one's record is deleted, so it stops working at once. Empty if there is no such
     * key; a revoked key is not rotated ({@link IllegalStateException}).
     */
    public synchronized Optional<IssuedKey> rotate(String id) {
        Optional<StoredKey> found = find(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StoredKey old = found.get();
        if (old.record().revoked()) {
            throw new IllegalStateException("key " + id + " is revoked");
        }
        String oldHash = index(id).orElseThrow().get(FIELD_HASH);
        String secret = StreamKeys.generate();
        String hash = StreamKeys.hash(secret);
        hashes().hset(RedisKeys.streamKey(hash), old.record().toMap());
        hashes().hset(keyId(id), Map.of(FIELD_HASH, hash, FIELD_HINT, KeyRules.hint(secret)));
        redis.key().del(RedisKeys.streamKey(oldHash));
        LOG.infof("keys: rotated id=%s stream=%s", id, old.record().streamName());
        return Optional.of(new IssuedKey(new StoredKey(id, old.record(), old.createdAtMs(), KeyRules.hint(secret)), secret));
    }

    /** Marks the key revoked (the record stays, so its secret is refused as revoked); empty if there is no such key. */
    public synchronized Optional<StoredKey> revoke(String id) {
        Optional<StoredKey> found = find(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StoredKey old = found.get();
        StreamKeyRecord r = old.record();
        StreamKeyRecord revoked = new StreamKeyRecord(r.streamName(), r.scopes(), r.streamId(), r.expiresAtMs(), true);
        hashes().hset(RedisKeys.streamKey(index(id).orElseThrow().get(FIELD_HASH)), revoked.toMap());
        LOG.infof("keys: revoked id=%s stream=%s", id, r.streamName());
        return Optional.of(new StoredKey(id, revoked, old.createdAtMs(), old.secretHint()));
    }

    private Optional<Map<String, String>> index(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> index = hashes().hgetall(keyId(id));
        return index == null || index.get(FIELD_HASH) == null ? Optional.empty() : Optional.of(index);
    }

    private Optional<StreamKeyRecord> recordAt(String hash) {
        Map<String, String> fields = hashes().hgetall(RedisKeys.streamKey(hash));
        if (fields == null || fields.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(StreamKeyRecord.fromMap(fields));
        } catch (RuntimeException e) {
            LOG.warnf("keys: stored record unreadable: %s", e.getMessage());
            return Optional.empty();
        }
    }

    /** The provisioned stream's id when the name is already known, so publish events carry it. */
    private String streamIdOf(String streamName) {
        String id = redis.value(String.class).get(RedisKeys.streamName(streamName));
        return id == null ? "" : id;
    }

    private HashCommands<String, String, String> hashes() {
        return redis.hash(String.class);
    }

    private static String keyId(String id) {
        return RedisKeys.keyId(id);
    }

    private static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "k" + HexFormat.of().formatHex(bytes);
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
