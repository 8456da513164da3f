package io.streammanager.gateway.auth;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.bus.control.Scope;
import io.streammanager.bus.control.StreamKeyRecord;
import io.streammanager.bus.control.StreamKeys;
import io.streammanager.gateway.config.GatewayConfig;
import io.streammanager.gateway.relay.StreamNames;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
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
    /** Set while revocation lookups fail: logged when that starts and when it ends, not per player. */
    private final AtomicBoolean revocationLookupFailing = new AtomicBoolean();

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
     * A protected play: a token, when one is given and tokens are on, decides alone (its signature and expiry checked
     * here, then whether it was revoked); otherwise the key must have scope play for the stream.
     */
    public Uni<AuthDecision> verifyPlay(String streamName, String key, String token) {
        if (playTokens.isPresent() && token != null && !token.isEmpty()) {
            AuthDecision signed = playTokens.get().check(token, streamName, System.currentTimeMillis());
            return signed.allowed() ? notRevoked(streamName, token, signed) : Uni.createFrom().item(signed);
        }
        if (playTokens.isPresent() && (key == null || key.isEmpty())) {
            return Uni.createFrom().item(AuthDecision.badAuth("no stream key given (use ?key=... or ?token=...)"));
        }
        return verifyPlay(streamName, key);
    }

    /**
     * A signed, unexpired token is refused if it was revoked. The revocation list is a deny-list on top of a valid
     * signature: when Redis cannot answer in time the token is let through (logged), so a Redis outage does not turn
     * away every viewer of a stream that is already live.
     */
    private Uni<AuthDecision> notRevoked(String streamName, String token, AuthDecision signed) {
        return redis.key().exists(RedisKeys.revokedPlayToken(StreamKeys.hash(token)))
                .ifNoItem().after(config.control().authTimeout()).fail()
                .map(revoked -> {
                    if (revocationLookupFailing.compareAndSet(true, false)) {
                        LOG.info("play tokens: revocation lookups answer again");
                    }
                    return revoked ? AuthDecision.badAuth("play token revoked") : signed;
                })
                .onFailure().recoverWithItem(failure -> {
                    if (revocationLookupFailing.compareAndSet(false, true)) {
                        LOG.warnf("play tokens: revocation lookup failed (stream=%s), signed tokens are let through"
                                + " until Redis answers again: %s", streamName, failure.toString());
                    }
                    return signed;
                });
    }

    /** What revoking a token did. */
    public enum Revocation { REVOKED, ALREADY_EXPIRED }

    /**
     * Revokes {@code token} for {@code streamName} until it would have expired (a Redis key with that expiry, so
     * nothing outlives the token). A token that is malformed or not signed for the name fails with
     * {@link KeyRules.InvalidKeyRequest} on field {@code token}; an expired one needs nothing stored.
     */
    public Uni<Revocation> revokePlayToken(String streamName, String token) {
        PlayTokens tokens = playTokens.orElseThrow(() -> new IllegalStateException("play tokens are off"));
        if (streamName == null || !StreamNames.valid(streamName)) {
            return Uni.createFrom().failure(new KeyRules.InvalidKeyRequest("streamName",
                    "streamName must be " + StreamNames.rule()));
        }
        PlayTokens.Signature signature = tokens.verifySignature(token, streamName);
        if (signature.refusal() != null) {
            return Uni.createFrom().failure(new KeyRules.InvalidKeyRequest("token", signature.refusal().reason()));
        }
        if (signature.expiresAtMs() <= System.currentTimeMillis()) {
            return Uni.createFrom().item(Revocation.ALREADY_EXPIRED);
        }
        return redis.value(String.class)
                .set(RedisKeys.revokedPlayToken(StreamKeys.hash(token)), streamName,
                        new SetArgs().pxAt(signature.expiresAtMs()))
                .ifNoItem().after(config.control().authTimeout()).fail()
                .replaceWith(Revocation.REVOKED);
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
