package io.streammanager.bus.auth;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.streammanager.bus.control.RedisKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * API tokens in Redis, shared by every service (any service accepts a token made through any other). Non-blocking
 * (the reactive client), because a lookup runs for each request on the HTTP event loop.
 *
 * <pre>
 * sm:api-token:{sha256-hex}   hash    the token's {@link ApiToken} record, found by the token's hash
 * sm:api-token-id:{id}        string  id -> the token's hash, to list and revoke by id
 * sm:api-token-ids            set     every id
 * </pre>
 *
 * A token with an expiry also has it as the keys' Redis expiry, so expired tokens clean themselves up; the expiry is
 * still checked on every use. Revoking deletes the record: the token stops working on the next request.
 */
@ApplicationScoped
public class ApiTokenStore {

    private static final Logger LOG = Logger.getLogger(ApiTokenStore.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A token just created, with the one and only copy of its secret. */
    public record IssuedToken(ApiToken token, String secret) {
    }

    private final ReactiveRedisDataSource redis;

    public ApiTokenStore(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** Creates a token; {@code lifetime} empty means it never expires. The role must be one of {@link Roles#ALL}. */
    public Uni<IssuedToken> create(String role, Optional<Duration> lifetime, String description) {
        Roles.granted(role); // refuses an unknown role before anything is stored
        String secret = ApiTokenSecrets.generate();
        String hash = ApiTokenSecrets.hash(secret);
        long createdAtMs = System.currentTimeMillis();
        long expiresAtMs = lifetime.map(d -> createdAtMs + d.toMillis()).orElse(0L);
        ApiToken token = new ApiToken(newId(), role, createdAtMs, expiresAtMs, description, ApiTokenSecrets.hint(secret));
        String recordKey = RedisKeys.apiToken(hash);
        String idKey = RedisKeys.apiTokenId(token.id());
        Uni<Void> stored = redis.hash(String.class).hset(recordKey, token.toMap(hash))
                .chain(() -> redis.value(String.class).set(idKey, hash))
                .chain(() -> redis.set(String.class).sadd(RedisKeys.API_TOKEN_IDS, token.id()))
                .replaceWithVoid();
        if (expiresAtMs > 0) {
            stored = stored.chain(() -> redis.key().pexpireat(recordKey, expiresAtMs))
                    .chain(() -> redis.key().pexpireat(idKey, expiresAtMs))
                    .replaceWithVoid();
        }
        return stored.invoke(() -> LOG.infof("api tokens: created id=%s role=%s expiresAtMs=%d", token.id(), role,
                expiresAtMs)).replaceWith(new IssuedToken(token, secret));
    }

    /** The token whose secret this is, if one is stored (expired or not: the caller decides). */
    public Uni<Optional<ApiToken>> findBySecret(String secret) {
        if (secret == null || secret.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        String hash = ApiTokenSecrets.hash(secret);
        return redis.hash(String.class).hgetall(RedisKeys.apiToken(hash)).map(fields -> {
            if (fields == null || fields.isEmpty() || !ApiTokenSecrets.sameHash(hash, fields.get(ApiToken.FIELD_HASH))) {
                return Optional.empty();
            }
            return readable(fields);
        });
    }

    /** Every stored token, oldest first; ids whose token has expired away are dropped from the index on the way. */
    public Uni<List<ApiToken>> list() {
        return redis.set(String.class).smembers(RedisKeys.API_TOKEN_IDS).chain(ids -> {
            if (ids.isEmpty()) {
                return Uni.createFrom().item(List.<ApiToken>of());
            }
            List<Uni<Optional<ApiToken>>> lookups = new ArrayList<>();
            for (String id : ids) {
                lookups.add(findById(id).call(found -> found.isPresent() ? Uni.createFrom().voidItem()
                        : redis.set(String.class).srem(RedisKeys.API_TOKEN_IDS, id)));
            }
            return Uni.join().all(lookups).andFailFast().map(found -> found.stream().flatMap(Optional::stream)
                    .sorted(Comparator.comparingLong(ApiToken::createdAtMs).thenComparing(ApiToken::id))
                    .toList());
        });
    }

    public Uni<Optional<ApiToken>> findById(String id) {
        if (!validId(id)) {
            return Uni.createFrom().item(Optional.empty());
        }
        return redis.value(String.class).get(RedisKeys.apiTokenId(id)).chain(hash -> hash == null
                ? Uni.createFrom().item(Optional.<ApiToken>empty())
                : redis.hash(String.class).hgetall(RedisKeys.apiToken(hash)).map(fields ->
                        fields == null || fields.isEmpty() ? Optional.<ApiToken>empty() : readable(fields)));
    }

    /** Deletes the token; false when there is no such id. The token is refused from the next request on. */
    public Uni<Boolean> revoke(String id) {
        if (!validId(id)) {
            return Uni.createFrom().item(false);
        }
        String idKey = RedisKeys.apiTokenId(id);
        return redis.value(String.class).get(idKey).chain(hash -> {
            if (hash == null) {
                return Uni.createFrom().item(false);
            }
            return redis.key().del(RedisKeys.apiToken(hash), idKey)
                    .chain(() -> redis.set(String.class).srem(RedisKeys.API_TOKEN_IDS, id))
                    .invoke(() -> LOG.infof("api tokens: revoked id=%s", id))
                    .replaceWith(true);
        });
    }

    private static Optional<ApiToken> readable(Map<String, String> fields) {
        try {
            return Optional.of(ApiToken.fromMap(fields));
        } catch (IllegalArgumentException e) {
            LOG.warnf("api tokens: stored record unreadable: %s", e.getMessage());
            return Optional.empty();
        }
    }

    /** Ids are ours ("t" + 16 hex digits); anything else cannot name a Redis key of ours. */
    private static boolean validId(String id) {
        return id != null && id.matches("t[0-9a-f]{16}");
    }

    private static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "t" + HexFormat.of().formatHex(bytes);
    }
}
