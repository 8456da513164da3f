package io.streammanager.composition.stream;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.quarkus.redis.datasource.keys.KeyScanCursor;
import io.quarkus.redis.datasource.set.SetCommands;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.quarkus.redis.datasource.transactions.OptimisticLockingTransactionResult;
import io.streammanager.bus.control.Command;
import io.streammanager.bus.control.CommandBus;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.bus.control.UpdateStream;
import io.streammanager.bus.control.Scope;
import io.streammanager.bus.control.StreamKeyRecord;
import io.streammanager.bus.control.StreamKeys;
import io.streammanager.bus.control.StreamSpecJson;
import io.streammanager.bus.control.spec.StreamSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Streams as stored in Redis: the spec JSON per id, the set of ids, the name -> id index (which makes names
 * unique) and the gateway publish key record. Blocking calls: use from worker threads only.
 */
@ApplicationScoped
public class StreamStore {

    private static final Logger LOG = Logger.getLogger(StreamStore.class);

    private final RedisDataSource redis;
    private final ValueCommands<String, String> values;
    private final SetCommands<String, String> sets;
    private final HashCommands<String, String, String> hashes;
    private final KeyCommands<String> keys;

    public StreamStore(RedisDataSource redis) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.sets = redis.set(String.class);
        this.hashes = redis.hash(String.class);
        this.keys = redis.key();
    }

    /** Reserves {@code name} for {@code streamId}; false if another stream holds it. */
    public boolean claimName(String name, String streamId) {
        return values.setnx(RedisKeys.streamName(name), streamId);
    }

    /**
     * The name of a stream whose gateway names overlap {@code name}'s: the gateway takes a managed stream's publish
     * key for {@code <name>_<renditionId>} too, so {@code show_sd} and {@code show} cannot both be streams (the
     * holder of one's key could publish onto the other). Checked before a name is claimed; two creates racing with
     * such names at the same instant are not caught.
     */
    public Optional<String> overlappingName(String name) {
        for (int i = name.indexOf('_'); i > 0; i = name.indexOf('_', i + 1)) {
            String prefix = name.substring(0, i);
            if (values.get(RedisKeys.streamName(prefix)) != null) {
                return Optional.of(prefix);
            }
        }
        String ownKey = RedisKeys.streamName(name);
        int nameStart = ownKey.length() - name.length();
        KeyScanCursor<String> cursor = keys.scan(new KeyScanArgs().match(ownKey + "_*").count(200));
        while (cursor.hasNext()) {
            for (String key : cursor.next()) {
                return Optional.of(key.substring(nameStart));
            }
        }
        return Optional.empty();
    }

    /** Stores the spec, its publish key for the gateway and its id; the name must already be claimed. */
    public void save(StreamSpec spec) {
        StreamKeyRecord publishKey = new StreamKeyRecord(spec.name(), Set.of(Scope.PUBLISH), spec.id(), 0, false);
        hashes.hset(RedisKeys.streamKey(StreamKeys.hash(spec.gatewayKey())), publishKey.toMap());
        values.set(RedisKeys.stream(spec.id()), StreamSpecJson.write(spec));
        sets.sadd(RedisKeys.STREAM_IDS, spec.id());
    }

    public Optional<StreamSpec> find(String streamId) {
        return Optional.ofNullable(values.get(RedisKeys.stream(streamId))).map(StreamSpecJson::read);
    }

    /** What the services last reported about the stream (applied versions, errors, output states). */
    public StreamStatus status(String streamId) {
        return StreamStatus.of(hashes.hgetall(RedisKeys.streamStatus(streamId)),
                hashes.hgetall(RedisKeys.outputStatus(streamId)));
    }

    /** Every stored stream, oldest first; ids whose spec is gone or unreadable are skipped (and logged). */
    public List<StreamSpec> all() {
        List<StreamSpec> specs = new ArrayList<>();
        for (String id : sets.smembers(RedisKeys.STREAM_IDS)) {
            try {
                find(id).ifPresent(specs::add);
            } catch (RuntimeException e) {
                LOG.warnf("stream %s: stored spec unreadable, skipped: %s", id, e.getMessage());
            }
        }
        specs.sort(Comparator.comparingLong(StreamSpec::createdAtMs).thenComparing(StreamSpec::id));
        return specs;
    }

    /**
     * Stores {@code next} in place of {@code current} and appends the {@code UpdateStream} command announcing it, in
     * one transaction that runs only if the stored spec is still {@code current}'s version. Returns false (nothing
     * written) if another writer got there first or the stream is gone.
     */
    public boolean replace(StreamSpec current, StreamSpec next, List<String> changed) {
        String key = RedisKeys.stream(current.id());
        OptimisticLockingTransactionResult<Boolean> result = redis.withTransaction(
                ds -> {
                    String stored = ds.value(String.class).get(key);
                    return stored != null && StreamSpecJson.read(stored).version() == current.version();
                },
                (unchanged, tx) -> {
                    if (!unchanged) {
                        tx.discard();
                        return;
                    }
                    tx.value(String.class).set(key, StreamSpecJson.write(next));
                    CommandBus.publish(tx, new UpdateStream(next, changed));
                },
                key);
        return !result.discarded() && Boolean.TRUE.equals(result.getPreTransactionResult());
    }

    /** Appends a command about a stored stream (one that changes no spec, e.g. an output restart). */
    public void announce(Command command) {
        redis.withTransaction(tx -> CommandBus.publish(tx, command));
    }

    /** Removes everything stored for the stream; the name index only if it still points at this stream. */
    public void delete(StreamSpec spec) {
        List<String> doomed = new ArrayList<>(List.of(RedisKeys.stream(spec.id()), RedisKeys.streamStatus(spec.id()),
                RedisKeys.outputStatus(spec.id())));
        if (spec.gatewayKey() != null) {
            doomed.add(RedisKeys.streamKey(StreamKeys.hash(spec.gatewayKey())));
        }
        if (spec.id().equals(values.get(RedisKeys.streamName(spec.name())))) {
            doomed.add(RedisKeys.streamName(spec.name()));
        }
        keys.del(doomed.toArray(String[]::new));
        sets.srem(RedisKeys.STREAM_IDS, spec.id());
    }

    /** Gives up a name claimed for a stream that then failed to start. */
    public void releaseName(String name, String streamId) {
        if (streamId.equals(values.get(RedisKeys.streamName(name)))) {
            keys.del(RedisKeys.streamName(name));
        }
    }
}
