package io.streammanager.gateway.auth;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.bus.control.Scope;
import io.streammanager.bus.control.StreamKeyRecord;
import io.streammanager.bus.control.StreamKeys;
import io.streammanager.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Checks a publish key against Redis without blocking the caller's event loop: {@code sm:key:{sha256(secret)}} holds
 * the key's record. A missing secret, an unknown hash, an unreadable record or a Redis failure all refuse.
 */
@ApplicationScoped
@Startup // a bad play-token secret fails the start, not the first player
public class StreamKeyVerifier {

    private static final Logger LOG = Logger.getLogger(StreamKeyVerifier.class);

    private final ReactiveRedisDataSource redis;
    private final GatewayConfig config;
    private final Optional<PlayTokens> playTokens;

    public StreamKeyVerifier(ReactiveRedisDataSource redis, GatewayConfig config) {
        this.redis = redis;
        this.config = config;
        this.playTokens = config.auth().playTokenSecret().filter(s -> !s.isBlank())
                .map(secret -> new PlayTokens(secret, config.auth().playTokenMaxTtl()));
    }

    /** The token signer, present when {@code gateway.auth.play-token-secret} is set. */
    public Optional<PlayTokens> playTokens() {
        return playTokens;
    }

    /** Whether players must prove they may play: {@code play-requires-key}, or play tokens configured. */
    public boolean playProtected() {
        return config.auth().playRequiresKey() || playTokens.isPresent();
    }

    /**
     * A protected play: a token, when one is given and tokens are on, decides alone (checked here, no Redis round
     * trip); otherwise the key must have scope play for the stream.
     */
    public Uni<AuthDecision> verifyPlay(String streamName, String key, String token) {
        if (playTokens.isPresent() && token != null && !token.isEmpty()) {
            return Uni.createFrom().item(playTokens.get().check(token, streamName, System.currentTimeMillis()));
        }
        if (playTokens.isPresent() && (key == null || key.isEmpty())) {
            return Uni.createFrom().item(AuthDecision.badAuth("no stream key given (use ?key=... or ?token=...)"));
        }
        return verifyPlay(streamName, key);
    }

    public Uni<AuthDecision> verifyPublish(String streamName, String secret) {
        return verify(Scope.PUBLISH, streamName, secret);
    }

    /** Same lookup for a player when {@code gateway.auth.play-requires-key} is on; the key needs scope play. */
    public Uni<AuthDecision> verifyPlay(String streamName, String secret) {
        return verify(Scope.PLAY, streamName, secret);
    }

    private Uni<AuthDecision> verify(Scope scope, String streamName, String secret) {
        if (secret == null || secret.isEmpty()) {
            return Uni.createFrom().item(AuthDecision.badAuth("no stream key given (use ?key=...)"));
        }
        String redisKey = RedisKeys.streamKey(StreamKeys.hash(secret));
        return redis.hash(String.class).hgetall(redisKey)
                .ifNoItem().after(config.control().authTimeout()).fail()
                .map(fields -> decide(scope, fields, streamName))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("rtmp: %s stream=%s: key lookup failed: %s", scope.name().toLowerCase(java.util.Locale.ROOT), streamName, failure.toString());
                    return AuthDecision.unavailable();
                });
    }

    private static AuthDecision decide(Scope scope, Map<String, String> fields, String streamName) {
        if (fields == null || fields.isEmpty()) {
            return KeyPolicy.check(scope, null, streamName, System.currentTimeMillis());
        }
        StreamKeyRecord record;
        try {
            record = StreamKeyRecord.fromMap(fields);
        } catch (RuntimeException e) {
            return AuthDecision.denied("stored key record unreadable");
        }
        return KeyPolicy.check(scope, record, streamName, System.currentTimeMillis());
    }
}
