package io.streammanager.gateway.server;

import io.netty.buffer.Unpooled;
import io.streammanager.bus.control.EventTypes;
import io.streammanager.gateway.config.GatewayConfig;
import io.streammanager.gateway.control.GatewayEvents;
import io.streammanager.gateway.flv.FlvTags;
import io.streammanager.gateway.metrics.GatewayMetrics;
import io.streammanager.gateway.relay.LiveStream;
import io.streammanager.gateway.relay.StreamNames;
import io.streammanager.gateway.relay.StreamRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@code /live/{name}.flv}: browser playback from the same relay as RTMP players (same GOP cache, same shared
 * messages, same keyframe-aware dropping). A plain GET gets HTTP-FLV, a chunked response that never ends while the
 * stream is published; a WebSocket upgrade on the same path gets WebSocket-FLV, one binary message per FLV tag after
 * one with the FLV header. Both follow the same play protection as RTMP (a play key or a signed token) and are
 * refused with an HTTP status before any upgrade ({@link PlayGate}).
 *
 * <p>Served by {@link PlaybackServer} on the public playback port, apart from Quarkus' HTTP server (the APIs).
 *
 * <p>Any origin may play: the response allows every origin and the WebSocket accepts every {@code Origin}, because
 * nothing here rides on cookies or other ambient credentials; a protected stream needs the key or token in the URL.
 */
@ApplicationScoped
public class HttpFlvRoute {

    private static final Logger LOG = Logger.getLogger(HttpFlvRoute.class);

    private final StreamRegistry streams;
    private final GatewayMetrics metrics;
    private final GatewayEvents events;
    private final ConnectionRegistry sessions;
    private final int queueBytes;
    private final java.time.Duration reconnectGrace;
    private final PlayGate gate;

    public HttpFlvRoute(StreamRegistry streams, GatewayMetrics metrics, GatewayEvents events, ConnectionRegistry sessions,
                        GatewayConfig config, PlayGate gate) {
        this.streams = streams;
        this.gate = gate;
        this.sessions = sessions;
        this.queueBytes = config.player().queueBytes();
        this.reconnectGrace = config.publish().reconnectGrace();
        this.metrics = metrics;
        this.events = events;
    }

    /** Called by {@link PlaybackServer} only: playback lives on its public listener, never beside the APIs. */
    void register(Router router) {
        router.getWithRegex("/live/([^/]+)\\.flv").handler(this::play);
    }

    private static boolean webSocketUpgrade(RoutingContext request) {
        String upgrade = request.request().getHeader("Upgrade");
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    private void play(RoutingContext request) {
        FlvPlayer.Kind kind = webSocketUpgrade(request) ? FlvPlayer.Kind.WEBSOCKET : FlvPlayer.Kind.HTTP;
        String name = request.pathParam("param0");
        HttpServerResponse response = request.response();
        if (!StreamNames.valid(name)) {
            response.setStatusCode(400).putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"stream name must be " + StreamNames.rule() + "\",\"field\":\"name\"}");
            return;
        }
        if (kind == FlvPlayer.Kind.WEBSOCKET) {
            request.request().pause(); // keep the request's end for toWebSocket() while the key is checked
        }
        gate.check(request, name, kind.protocol, () -> startPlaying(request, name, kind));
    }

    private void startPlaying(RoutingContext request, String name, FlvPlayer.Kind kind) {
        String remote = String.valueOf(request.request().remoteAddress());
        Context context = Vertx.currentContext();
        if (kind == FlvPlayer.Kind.HTTP) {
            HttpServerResponse response = request.response();
            response.setWriteQueueMaxSize(queueBytes);
            response.setChunked(true)
                    .putHeader("Content-Type", "video/x-flv")
                    .putHeader("Cache-Control", "no-cache")
                    .putHeader("Access-Control-Allow-Origin", "*");
            FlvPlayer player = new FlvPlayer(kind, name, remote, new FlvPlayer.Output() {
                @Override
                public Future<Void> write(Buffer bytes) {
                    return response.write(bytes);
                }

                @Override
                public void close() {
                    response.end();
                    response.close();
                }
            }, context, metrics, queueBytes, reconnectGrace);
            Runnable leave = attach(player, name, remote);
            // Vert.x may call these while holding the connection's lock: leave the relay on a later turn of the loop
            response.closeHandler(v -> context.runOnContext(x -> leave.run()));
            response.endHandler(v -> context.runOnContext(x -> leave.run()));
            return;
        }
        request.request().toWebSocket().onComplete(upgraded -> {
            if (upgraded.failed()) {
                LOG.warnf("ws-flv: play stream=%s remote=%s: upgrade failed: %s", name, remote, upgraded.cause().toString());
                return;
            }
            ServerWebSocket socket = upgraded.result();
            socket.setWriteQueueMaxSize(queueBytes);
            FlvPlayer player = new FlvPlayer(kind, name, remote, new FlvPlayer.Output() {
                @Override
                public Future<Void> write(Buffer bytes) {
                    return socket.writeBinaryMessage(bytes);
                }

                @Override
                public void close() {
                    socket.close((short) 1000, "stream ended");
                }
            }, context, metrics, queueBytes, reconnectGrace);
            // a browser only sends close frames and pings; anything else is ignored, never buffered
            socket.handler(ignored -> { });
            Runnable leave = attach(player, name, remote);
            socket.closeHandler(v -> context.runOnContext(x -> leave.run()));
            socket.exceptionHandler(e -> socket.close());
        });
    }

    /** Writes the FLV header, registers and attaches the player; returns what to run once when it leaves. */
    private Runnable attach(FlvPlayer player, String name, String remote) {
        byte[] header = new byte[FlvTags.HEADER_SIZE];
        FlvTags.writeHeader(Unpooled.wrappedBuffer(header).clear(), true, true);
        player.writeHeader(Buffer.buffer(header));
        sessions.add(player);
        LiveStream stream = streams.attachPlayer(name, player);
        player.attachedTo(stream);
        String protocol = player.kind().protocol;
        LOG.infof("%s: play stream=%s session=%s remote=%s", protocol, name, player.id(), remote);
        events.publish(EventTypes.PLAY_START, stream.streamId(),
                Map.of("streamName", name, "sessionId", player.id(), "remoteAddress", remote, "protocol", protocol));
        return () -> {
            if (player.markClosed()) {
                sessions.remove(player);
                stream.removePlayer(player.id());
                streams.removeIfIdle(stream);
                events.publish(EventTypes.PLAY_STOP, stream.streamId(), Map.of("streamName", name, "sessionId",
                        player.id(), "protocol", protocol, "bytesOut", Long.toString(player.bytesOut())));
            }
        };
    }
}
