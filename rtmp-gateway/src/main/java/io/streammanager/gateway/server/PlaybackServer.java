package io.streammanager.gateway.server;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.streammanager.gateway.config.GatewayConfig;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The public playback listener on {@code gateway.playback.host:port}: a Vert.x HTTP server of its own whose router
 * holds only {@link HttpFlvRoute} and {@link HlsRoute}; every other path is a 404. It is created and closed here and
 * nowhere else. Quarkus' HTTP server (the APIs, health, metrics, OpenAPI) listens on another, private port, so a
 * Service or Ingress that exposes this port exposes no API.
 */
@ApplicationScoped
public class PlaybackServer {

    private static final Logger LOG = Logger.getLogger(PlaybackServer.class);

    private final Vertx vertx;
    private final GatewayConfig config;
    private final HttpFlvRoute route;
    private final HlsRoute hls;
    private volatile String deploymentId;
    private volatile int actualPort = -1;

    public PlaybackServer(Vertx vertx, GatewayConfig config, HttpFlvRoute route, HlsRoute hls) {
        this.vertx = vertx;
        this.hls = hls;
        this.config = config;
        this.route = route;
    }

    void start(@Observes StartupEvent event) throws Exception {
        var playback = config.playback();
        Router router = Router.router(vertx);
        route.register(router);
        hls.register(router);
        HttpServerOptions options = new HttpServerOptions().setHost(playback.host()).setPort(playback.port())
                .setTcpNoDelay(true).setReuseAddress(true);
        // one listener per event loop sharing the socket, as for RTMP: players spread over the loops
        int instances = playback.port() == 0 ? 1 : config.rtmp().eventLoops() > 0 ? config.rtmp().eventLoops()
                : Runtime.getRuntime().availableProcessors();
        AtomicInteger port = new AtomicInteger(-1);
        try {
            deploymentId = vertx.deployVerticle(() -> new AbstractVerticle() {
                @Override
                public void start(Promise<Void> started) {
                    vertx.createHttpServer(options).requestHandler(router).listen()
                            .<Void>map(server -> {
                                port.set(server.actualPort());
                                return null;
                            }).onComplete(started);
                }
            }, new DeploymentOptions().setInstances(instances)).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("playback: cannot listen on " + playback.host() + ":" + playback.port()
                    + " (gateway.playback.host/port): " + e.getCause(), e.getCause());
        }
        actualPort = port.get();
        LOG.infof("playback: HTTP-FLV and WS-FLV on http://%s:%d/live/{name}.flv, LL-HLS on /hls/{name}/master.m3u8%s"
                + " (%d listeners)", playback.host(), actualPort, config.hls().enabled() ? "" : " (off)", instances);
    }

    void stop(@Observes ShutdownEvent event) {
        String id = deploymentId;
        deploymentId = null;
        actualPort = -1;
        if (id == null) {
            return;
        }
        try { // undeploying closes the servers and with them the players' connections
            vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warnf("playback: listener close failed: %s", e.toString());
        }
    }

    public boolean bound() {
        return actualPort > 0;
    }

    /** The bound port (differs from the configured one when that is 0), or -1 when not listening. */
    public int actualPort() {
        return actualPort;
    }
}
