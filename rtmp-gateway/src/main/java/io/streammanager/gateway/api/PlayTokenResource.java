package io.streammanager.gateway.api;

import io.smallrye.mutiny.Uni;
import io.streammanager.bus.auth.Roles;
import io.streammanager.gateway.auth.KeyRules;
import io.streammanager.gateway.auth.PlayTokens;
import io.streammanager.gateway.auth.StreamKeyVerifier;
import io.streammanager.gateway.config.GatewayConfig;
import io.streammanager.gateway.server.PlaybackServer;
import io.streammanager.gateway.server.RtmpServer;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Issues signed, expiring play tokens for one stream name, and revokes them. Signing is local (HMAC with the
 * configured secret), nothing is stored per token; a revoked token is remembered in Redis until it would have expired.
 * The issue answer carries the ready-made player URLs: RTMP on the host this request reached, HTTP-FLV and WS-FLV on
 * {@code gateway.playback.public-base-url} or else that host with the playback port (this API is on the private port).
 */
@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/play-tokens")
@Produces(MediaType.APPLICATION_JSON)
public class PlayTokenResource {

    /** An issue request; {@code ttlSeconds} absent means {@link PlayTokens#DEFAULT_TTL_SECONDS}. */
    public record TokenRequest(String streamName, Long ttlSeconds) {
    }

    public record PlayUrls(String rtmp, String httpFlv, String wsFlv, String hls) {
    }

    public record IssuedToken(String streamName, String token, long expiresAtMs, PlayUrls urls) {
    }

    private final StreamKeyVerifier verifier;
    private final RtmpServer rtmp;
    private final PlaybackServer playback;
    private final Optional<String> playbackBaseUrl;

    public PlayTokenResource(StreamKeyVerifier verifier, RtmpServer rtmp, PlaybackServer playback, GatewayConfig config) {
        this.verifier = verifier;
        this.rtmp = rtmp;
        this.playback = playback;
        this.playbackBaseUrl = config.playback().publicBaseUrl().map(url -> url.replaceAll("/+$", ""));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response issue(TokenRequest request, @Context UriInfo uri) {
        PlayTokens tokens = verifier.playTokens().orElseThrow(() -> error(409, "gateway.auth.play-token-secret",
                "play tokens are off: set gateway.auth.play-token-secret"));
        if (request == null) {
            throw error(400, "body", "a JSON body {streamName, ttlSeconds?} is required");
        }
        PlayTokens.TokenRequest checked;
        try {
            checked = tokens.validate(request.streamName(), request.ttlSeconds(), System.currentTimeMillis());
        } catch (KeyRules.InvalidKeyRequest e) {
            throw error(400, e.field(), e.getMessage());
        }
        String token = tokens.issue(checked.streamName(), checked.expiresAtMs());
        URI base = uri.getBaseUri();
        String host = base.getHost().contains(":") ? "[" + base.getHost() + "]" : base.getHost();
        String path = "/live/" + checked.streamName();
        String query = "?token=" + token; // digits, '.' and base64url: nothing to escape
        String http = playbackBaseUrl.orElse("http://" + host + ":" + playback.actualPort());
        String ws = http.replaceFirst("^http", "ws"); // http -> ws, https -> wss
        PlayUrls urls = new PlayUrls("rtmp://" + host + ":" + rtmp.actualPort() + path + query,
                http + path + ".flv" + query, ws + path + ".flv" + query,
                http + "/hls/" + checked.streamName() + "/master.m3u8" + query);
        return Response.status(201).entity(new IssuedToken(checked.streamName(), token, checked.expiresAtMs(), urls))
                .build();
    }

    /** A revocation request: the token and the stream name it was issued for (the token does not carry the name). */
    public record RevokeRequest(String streamName, String token) {
    }

    public record Revoked(String streamName, boolean revoked, String detail) {
    }

    /**
     * Refuses the token from now on, on every protocol, until it would have expired; players already playing with it
     * go on (kick them with {@code DELETE /api/v1/sessions/{id}}). The token never appears in the answer or a log.
     */
    @POST
    @Path("/revocations")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Revoked> revoke(RevokeRequest request) {
        if (verifier.playTokens().isEmpty()) {
            throw error(409, "gateway.auth.play-token-secret", "play tokens are off: set gateway.auth.play-token-secret");
        }
        if (request == null) {
            throw error(400, "body", "a JSON body {streamName, token} is required");
        }
        return verifier.revokePlayToken(request.streamName(), request.token())
                .map(outcome -> outcome == StreamKeyVerifier.Revocation.REVOKED
                        ? new Revoked(request.streamName(), true, "refused from now on until it would have expired")
                        : new Revoked(request.streamName(), false, "already expired: nothing to revoke"))
                .onFailure(KeyRules.InvalidKeyRequest.class).transform(e -> {
                    KeyRules.InvalidKeyRequest bad = (KeyRules.InvalidKeyRequest) e;
                    return error(400, bad.field(), bad.getMessage());
                })
                .onFailure(e -> !(e instanceof WebApplicationException))
                .transform(e -> error(503, "redis", "could not store the revocation: " + e.getClass().getSimpleName()));
    }

    private static WebApplicationException error(int status, String field, String message) {
        return new WebApplicationException(Response.status(status).entity(Map.of("error", message, "field", field))
                .type(MediaType.APPLICATION_JSON).build());
    }
}
