package io.streammanager.gateway.server;

import io.netty.buffer.Unpooled;
import io.streammanager.bus.control.EventTypes;
import io.streammanager.gateway.auth.AuthDecision;
import io.streammanager.gateway.auth.AuthFailureLimiter;
import io.streammanager.gateway.auth.StreamKeyVerifier;
import io.streammanager.gateway.control.GatewayEvents;
import io.streammanager.gateway.flv.FlvTags;
import io.streammanager.gateway.metrics.GatewayMetrics;
import io.streammanager.gateway.relay.LiveStream;
import io.streammanager.gateway.relay.StreamNames;
import io.streammanager.gateway.relay.StreamRegistry;
import io.streammanager.gateway.rtmp.RtmpException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@code GET /live/{name}.flv}: HTTP-FLV playback from the same relay as RTMP players (same GOP cache, same shared
 * messages, same keyframe-aware dropping). The response never ends while the stream is published.
 */
@ApplicationScoped
public class HttpFlvRoute {

    private static final Logger LOG = Logger.getLogger(HttpFlvRoute.class);

    private final StreamRegistry streams;
    private final GatewayMetrics metrics;
    private final GatewayEvents events;
    private final ConnectionRegistry sessions;
    private final int queueBytes;
    private final boolean playRequiresKey;
    private final StreamKeyVerifier verifier;
    private final AuthFailureLimiter authFailures;

    public HttpFlvRoute(StreamRegistry streams, GatewayMetrics metrics, GatewayEvents events, ConnectionRegistry sessions,
                        io.streammanager.gateway.config.GatewayConfig config, StreamKeyVerifier verifier,
                        AuthFailureLimiter authFailures) {
        this.streams = streams;
        this.playRequiresKey = config.auth().playRequiresKey();
        this.verifier = verifier;
        this.authFailures = authFailures;
        this.sessions = sessions;
        this.queueBytes = config.player().queueBytes();
        this.metrics = metrics;
        this.events = events;
    }

    void register(@Observes Router router) {
        router.getWithRegex("/live/([^/]+)\\.flv").handler(this::play);
    }

    private void play(RoutingContext request) {
        String name = request.pathParam("param0");
        HttpServerResponse response = request.response();
        if (!StreamNames.valid(name)) {
            response.setStatusCode(400).putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"stream name must be " + StreamNames.rule() + "\",\"field\":\"name\"}");
            return;
        }
        if (!playRequiresKey) {
            startPlaying(request, name);
            return;
        }
        // same rules as an RTMP player: a key with scope play for this name, and the per-address failure limiter
        String host = request.request().remoteAddress() == null ? "" : request.request().remoteAddress().host();
        if (authFailures.blocked(host)) {
            metrics.error(RtmpException.Category.AUTH);
            metrics.authBlocked();
            refuse(response, 429, "too many failed authentications from this address, try again later");
            return;
        }
        var context = Vertx.currentContext();
        verifier.verifyPlay(name, request.queryParams().get("key")).subscribe().with(
                decision -> context.runOnContext(v -> onPlayAuthDecision(request, name, host, decision)),
                failure -> context.runOnContext(v -> onPlayAuthDecision(request, name, host, AuthDecision.unavailable())));
    }

    private void onPlayAuthDecision(RoutingContext request, String name, String host, AuthDecision decision) {
        if (request.response().closed()) {
            return;
        }
        if (decision.allowed()) {
            startPlaying(request, name);
            return;
        }
        metrics.error(RtmpException.Category.AUTH);
        String remote = String.valueOf(request.request().remoteAddress());
        LOG.warnf("http-flv: play stream=%s remote=%s: refused: %s", name, remote, decision.reason());
        events.publish(EventTypes.AUTH_FAILED, null, Map.of("streamName", name, "remoteAddress", remote,
                "protocol", "http-flv", "reason", decision.reason()));
        if (decision.failedAuthentication()) {
            authFailures.recordFailure(host);
        }
        refuse(request.response(), decision.failedAuthentication() ? 403 : 503, decision.reason());
    }

    private static void refuse(HttpServerResponse response, int status, String reason) {
        response.setStatusCode(status).putHeader("Content-Type", "application/json")
                .end("{\"error\":\"" + reason.replace("\"", "'") + "\",\"field\":\"key\"}");
    }

    private void startPlaying(RoutingContext request, String name) {
        HttpServerResponse response = request.response();
        response.setWriteQueueMaxSize(queueBytes);
        response.setChunked(true)
                .putHeader("Content-Type", "video/x-flv")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("Access-Control-Allow-Origin", "*");
        byte[] header = new byte[FlvTags.HEADER_SIZE];
        FlvTags.writeHeader(Unpooled.wrappedBuffer(header).clear(), true, true);
        response.write(Buffer.buffer(header));
        String remote = String.valueOf(request.request().remoteAddress());
        HttpFlvPlayer player = new HttpFlvPlayer(name, remote, response, Vertx.currentContext(), metrics, queueBytes);
        sessions.add(player);
        LiveStream stream = streams.attachPlayer(name, player);
        LOG.infof("http-flv: play stream=%s session=%s remote=%s", name, player.id(), remote);
        events.publish(EventTypes.PLAY_START, stream.streamId(),
                Map.of("streamName", name, "sessionId", player.id(), "remoteAddress", remote, "protocol", "http-flv"));
        Runnable leave = () -> {
            if (player.markClosed()) {
                sessions.remove(player);
                stream.removePlayer(player.id());
                streams.removeIfIdle(stream);
                events.publish(EventTypes.PLAY_STOP, stream.streamId(), Map.of("streamName", name, "sessionId",
                        player.id(), "protocol", "http-flv", "bytesOut", Long.toString(player.bytesOut())));
            }
        };
        // Vert.x may call these while holding the connection's lock: leave the relay on a later turn of the loop
        var context = Vertx.currentContext();
        response.closeHandler(v -> context.runOnContext(x -> leave.run()));
        response.endHandler(v -> context.runOnContext(x -> leave.run()));
    }
}
