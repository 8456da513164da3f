package io.streammanager.gateway.server;

import io.streammanager.bus.auth.AuthFailureLimiter;
import io.streammanager.bus.control.EventTypes;
import io.streammanager.gateway.auth.AuthDecision;
import io.streammanager.gateway.auth.StreamKeyVerifier;
import io.streammanager.gateway.control.GatewayEvents;
import io.streammanager.gateway.metrics.GatewayMetrics;
import io.streammanager.gateway.rtmp.RtmpException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The play protection of every HTTP playback request (HTTP-FLV, WebSocket-FLV, LL-HLS): the same rules as an RTMP
 * player, a play key ({@code ?key=}) or a signed token ({@code ?token=}) for the stream name, and the per-address
 * failure limiter. A refused request is answered here with a status and a JSON message naming the field; an allowed
 * one continues on the request's own context.
 */
@ApplicationScoped
public class PlayGate {

    private static final Logger LOG = Logger.getLogger(PlayGate.class);

    private final GatewayMetrics metrics;
    private final GatewayEvents events;
    private final StreamKeyVerifier verifier;
    private final AuthFailureLimiter authFailures;

    public PlayGate(GatewayMetrics metrics, GatewayEvents events, StreamKeyVerifier verifier,
                    AuthFailureLimiter authFailures) {
        this.metrics = metrics;
        this.events = events;
        this.verifier = verifier;
        this.authFailures = authFailures;
    }

    /** Runs {@code allowed} (on the request's context) if the request may play {@code name}; otherwise refuses it. */
    void check(RoutingContext request, String name, String protocol, Runnable allowed) {
        if (!verifier.playProtected()) {
            allowed.run();
            return;
        }
        String host = request.request().remoteAddress() == null ? "" : request.request().remoteAddress().host();
        if (authFailures.blocked(host)) {
            metrics.error(RtmpException.Category.AUTH);
            metrics.authBlocked();
            refuse(request.response(), 429, "too many failed authentications from this address, try again later", "key");
            return;
        }
        Context context = Vertx.currentContext();
        String key = request.queryParams().get("key");
        String token = request.queryParams().get("token");
        verifier.verifyPlay(name, key, token).subscribe().with(
                decision -> context.runOnContext(v -> decided(request, name, protocol, host, token, decision, allowed)),
                failure -> context.runOnContext(v ->
                        decided(request, name, protocol, host, token, AuthDecision.unavailable(), allowed)));
    }

    private void decided(RoutingContext request, String name, String protocol, String host, String token,
                         AuthDecision decision, Runnable allowed) {
        if (request.response().closed()) {
            return;
        }
        if (decision.allowed()) {
            allowed.run();
            return;
        }
        metrics.error(RtmpException.Category.AUTH);
        String remote = String.valueOf(request.request().remoteAddress());
        LOG.warnf("%s: play stream=%s remote=%s: refused: %s", protocol, name, remote, decision.reason());
        events.publish(EventTypes.AUTH_FAILED, null, Map.of("streamName", name, "remoteAddress", remote,
                "protocol", protocol, "reason", decision.reason()));
        if (decision.failedAuthentication() && authFailures.recordFailure(host)) {
            LOG.warnf("%s: remote=%s: blocked after repeated failed authentications", protocol, host);
        }
        boolean tokenDecided = token != null && !token.isEmpty() && verifier.playTokens().isPresent();
        refuse(request.response(), decision.failedAuthentication() ? 403 : 503, decision.reason(),
                tokenDecided ? "token" : "key");
    }

    static void refuse(HttpServerResponse response, int status, String reason, String field) {
        response.setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Access-Control-Allow-Origin", "*")
                .end("{\"error\":\"" + reason.replace("\"", "'") + "\",\"field\":\"" + field + "\"}");
    }
}
