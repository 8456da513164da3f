package io.streammanager.bus.control;

/**
 * Every Redis key name the services share. No service spells a key itself.
 *
 * <pre>
 * sm:stream:{id}                  string  the stream's spec as JSON ({@link StreamSpecJson})
 * sm:streams                      set     ids of all provisioned streams
 * sm:stream-name:{name}           string  stream name -> id (names are unique)
 * sm:key:{sha256-hex}             hash    a stream key record ({@link StreamKeyRecord}), found by the secret's hash
 * sm:key-ids                      set     ids of the keys made through the gateway's key API
 * sm:key-id:{id}                  hash    one such key's index entry: its secret's hash, a hint, creation time
 * sm:revoked-play-token:{sha256}  string  a revoked play token, by its hash; expires when the token would have
 * sm:commands                     stream  commands; one consumer group per service ({@link ConsumerGroups})
 * sm:events                       stream  lifecycle, output and session events ({@link BusEvent})
 * sm:heartbeat:{service}:{inst}   string  instance liveness, with control.heartbeat.ttl, written by the
 *                                         {@link ControlLoop} ({@link InstanceIdentity} names the instance)
 * sm:stream-status:{id}           hash    per service, written by the {@link ControlLoop}: "{service}.version"
 *                                         applied, "{service}.error" of the last command it could not carry out,
 *                                         "{service}.timeMs" of the last write; a service's fields go with StopStream
 * sm:output-status:{id}           hash    output id -> the muxer's status of that output as JSON (no URL, no key)
 * sm:api-token:{sha256-hex}       hash    an API token record, found by the token's hash
 * sm:api-token-ids                set     ids of the API tokens
 * sm:api-token-id:{id}            string  token id -> its hash (for listing and revoking by id)
 * sm:assets                       set     ids of the uploaded assets (images, clips) scenes can name
 * sm:asset:{id}                   string  an asset's description as JSON (type, size, where its bytes are)
 * sm:asset:{id}:data              string  an asset's bytes, when small enough to be kept in Redis
 * sm:thumbnails:{id}              zset    the stream's rolling thumbnails, written by the encoder: score = capture
 *                                         time (epoch ms), member = {@link ThumbnailEntry#member()}; with a TTL
 * sm:thumbnail:{id}:{captureMs}   string  one thumbnail's JPEG bytes, with a TTL (a deleted stream's go away)
 * </pre>
 */
public final class RedisKeys {

    public static final String PREFIX = "sm:";
    public static final String STREAM_IDS = PREFIX + "streams";
    public static final String COMMANDS = PREFIX + "commands";
    public static final String EVENTS = PREFIX + "events";
    public static final String KEY_IDS = PREFIX + "key-ids";
    public static final String API_TOKEN_IDS = PREFIX + "api-token-ids";
    public static final String ASSET_IDS = PREFIX + "assets";

    private RedisKeys() {
    }

    public static String stream(String streamId) {
        return PREFIX + "stream:" + requireSegment("streamId", streamId);
    }

    public static String streamName(String name) {
        return PREFIX + "stream-name:" + requireSegment("name", name);
    }

    public static String streamKey(String secretHashHex) {
        return PREFIX + "key:" + requireSegment("secretHash", secretHashHex);
    }

    public static String keyId(String id) {
        return PREFIX + "key-id:" + requireSegment("keyId", id);
    }

    public static String revokedPlayToken(String tokenHashHex) {
        return PREFIX + "revoked-play-token:" + requireSegment("tokenHash", tokenHashHex);
    }

    public static String streamStatus(String streamId) {
        return PREFIX + "stream-status:" + requireSegment("streamId", streamId);
    }

    public static String outputStatus(String streamId) {
        return PREFIX + "output-status:" + requireSegment("streamId", streamId);
    }

    public static String apiToken(String tokenHashHex) {
        return PREFIX + "api-token:" + requireSegment("tokenHash", tokenHashHex);
    }

    public static String apiTokenId(String id) {
        return PREFIX + "api-token-id:" + requireSegment("tokenId", id);
    }

    public static String asset(String assetId) {
        return PREFIX + "asset:" + requireSegment("assetId", assetId);
    }

    public static String assetData(String assetId) {
        return asset(assetId) + ":data";
    }

    public static String thumbnails(String streamId) {
        return PREFIX + "thumbnails:" + requireSegment("streamId", streamId);
    }

    public static String thumbnail(String streamId, long captureTimeMs) {
        return PREFIX + "thumbnail:" + requireSegment("streamId", streamId) + ":" + captureTimeMs;
    }

    public static String heartbeat(String service, String instanceId) {
        return PREFIX + "heartbeat:" + requireSegment("service", service) + ":" + requireSegment("instanceId", instanceId);
    }

    private static String requireSegment(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return value;
    }
}
