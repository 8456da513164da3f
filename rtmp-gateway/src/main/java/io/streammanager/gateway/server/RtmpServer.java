package io.streammanager.gateway.server;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.streammanager.bus.auth.AuthFailureLimiter;
import io.streammanager.gateway.auth.StreamKeyVerifier;
import io.streammanager.gateway.config.GatewayConfig;
import io.streammanager.gateway.control.GatewayEvents;
import io.streammanager.gateway.control.StreamStopper;
import io.streammanager.gateway.metrics.GatewayMetrics;
import io.streammanager.gateway.relay.LiveStream;
import io.streammanager.gateway.relay.StreamRegistry;
import io.streammanager.gateway.rtmp.RtmpException;
import io.streammanager.gateway.rtmp.amf0.Amf0Limits;
import io.streammanager.gateway.rtmp.chunk.ChunkLimits;
import io.streammanager.gateway.rtmp.session.SessionSettings;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The RTMP listeners: a Vert.x NetServer on {@code gateway.rtmp.host:port} with TCP_NODELAY and, when enabled, an
 * RTMPS (TLS) one on {@code gateway.rtmps.host:port}; one {@link RtmpConnection} per accepted socket (after the TLS
 * handshake for RTMPS), refused beyond {@code gateway.limits.max-connections} counted over both.
 */
@ApplicationScoped
public class RtmpServer implements StreamStopper {

    private static final Logger LOG = Logger.getLogger(RtmpServer.class);

    private final Vertx vertx;
    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final ConnectionRegistry connections;
    private final StreamRegistry streams;
    private final ConnectionServices services;
    private final java.util.List<NetServer> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final LogThrottle refusalLogs = new LogThrottle(10);
    private volatile boolean bound;
    private final List<String> deploymentIds = new CopyOnWriteArrayList<>();
    private volatile int actualPort = -1;
    private volatile int actualTlsPort = -1;
    private volatile long lastTickNs = System.nanoTime();
    private long tickTimer = -1;

    public RtmpServer(Vertx vertx, GatewayConfig config, GatewayMetrics metrics, StreamKeyVerifier verifier,
                      AuthFailureLimiter authFailures, GatewayEvents events, StreamRegistry streams,
                      ConnectionRegistry connections) {
        this.vertx = vertx;
        this.config = config;
        this.metrics = metrics;
        this.connections = connections;
        this.streams = streams;
        this.services = new ConnectionServices(config, sessionSettings(config), metrics, verifier, authFailures, events,
                streams, connections);
    }

    static SessionSettings sessionSettings(GatewayConfig config) {
        var limits = config.limits();
        return new SessionSettings(
                new ChunkLimits(limits.maxChunkSize(), limits.maxMessageSize(), limits.maxChunkStreams()),
                new Amf0Limits(limits.maxAmfDepth(), limits.maxMetadataSize(), 1024),
                config.rtmp().chunkSize(), config.rtmp().windowAckSize(), limits.maxMetadataSize(),
                limits.maxStreamsPerConnection());
    }

    void start(@Observes StartupEvent event) throws Exception {
        var rtmp = config.rtmp();
        var rtmps = config.rtmps();
        long tlsHandshakeMs = rtmps.sslHandshakeTimeout().orElse(rtmp.handshakeTimeout()).toMillis();
        NetServerOptions tls = !rtmps.enabled() ? null : listenerOptions(rtmps.host(), rtmps.port())
                .setSsl(true)
                .setKeyCertOptions(RtmpsCertificate.pem(rtmps)) // checked before anything binds
                .setSslHandshakeTimeout(tlsHandshakeMs)
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        actualPort = listen("rtmp", listenerOptions(rtmp.host(), rtmp.port()));
        LOG.infof("rtmp: listening on %s:%d with %d event loops (chunk size %d, gop cache %s)", rtmp.host(),
                actualPort, servers.size(), rtmp.chunkSize(), config.gopCache().enabled() ? config.gopCache().maxBytes() + " bytes" : "off");
        if (tls != null) {
            try {
                actualTlsPort = listen("rtmps", tls);
            } catch (ExecutionException e) {
                throw new IllegalStateException("rtmps: cannot listen on " + rtmps.host() + ":" + rtmps.port()
                        + " with cert-path=" + rtmps.certPath().orElse("") + " key-path=" + rtmps.keyPath().orElse("")
                        + ": " + e.getCause(), e.getCause());
            }
            LOG.infof("rtmps: listening on %s:%d (TLS handshake timeout %d ms)", rtmps.host(), actualTlsPort, tlsHandshakeMs);
        }
        bound = true;
        tickTimer = vertx.setPeriodic(1000, id -> lastTickNs = System.nanoTime());
    }

    private NetServerOptions listenerOptions(String host, int port) {
        return new NetServerOptions()
                .setHost(host)
                .setPort(port)
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true)
                .setReuseAddress(true);
    }

    /**
     * Deploys one listener per event loop on {@code options}' port (they share the socket, Vert.x round-robins
     * accepts); plain RTMP and RTMPS differ only in their options. Returns the bound port.
     */
    private int listen(String transport, NetServerOptions options) throws Exception {
        int instances = config.rtmp().eventLoops() > 0 ? config.rtmp().eventLoops() : Runtime.getRuntime().availableProcessors();
        if (options.getPort() == 0) {
            instances = 1; // Vert.x shares a listening socket by configured port; several "port 0" listeners would not share
        }
        AtomicInteger port = new AtomicInteger(-1);
        String deployment = vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                NetServer server = vertx.createNetServer(options).connectHandler(RtmpServer.this::accept);
                server.listen().<Void>map(listening -> {
                    servers.add(server);
                    port.set(server.actualPort());
                    return null;
                }).onComplete(started);
            }
        }, new DeploymentOptions().setInstances(instances)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        deploymentIds.add(deployment);
        LOG.debugf("%s: %d listeners deployed", transport, instances);
        return port.get();
    }

    private void accept(NetSocket socket) {
        metrics.connectionAccepted();
        if (connections.rtmpConnections() >= config.limits().maxConnections()) {
            metrics.error(RtmpException.Category.LIMIT);
            long dropped = refusalLogs.admit();
            if (dropped >= 0) {
                LOG.warnf("rtmp: connection from %s refused: connections %d exceeds limit %d%s", socket.remoteAddress(),
                        connections.rtmpConnections() + 1, config.limits().maxConnections(), LogThrottle.note(dropped));
            }
            socket.close();
            return;
        }
        socket.setWriteQueueMaxSize(config.player().queueBytes());
        RtmpConnection connection = new RtmpConnection((NetSocketInternal) socket, vertx, vertx.getOrCreateContext(), services);
        connections.add(connection);
        connection.start();
    }

    @Override
    public int stopStream(String streamName, String reason) {
        LiveStream stream = streams.find(streamName).orElse(null);
        if (stream == null) {
            return 0;
        }
        int sessions = stream.playerCount() + (stream.hasPublisher() ? 1 : 0);
        stream.stopAll(reason);
        streams.removeIfIdle(stream);
        return sessions;
    }

    void stop(@Observes ShutdownEvent event) {
        bound = false;
        if (tickTimer >= 0) {
            vertx.cancelTimer(tickTimer);
        }
        connections.all().forEach(c -> c.disconnect("server shutting down"));
        for (String deploymentId : deploymentIds) {
            try { // undeploying closes the listeners
                vertx.undeploy(deploymentId).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warnf("rtmp: listener close failed: %s", e.toString());
            }
        }
        deploymentIds.clear();
        servers.clear();
    }

    public boolean bound() {
        return bound;
    }

    /** The bound port (differs from the configured one when that is 0). */
    public int actualPort() {
        return actualPort;
    }

    /** The bound RTMPS port, or -1 when {@code gateway.rtmps.enabled} is false. */
    public int actualTlsPort() {
        return actualTlsPort;
    }

    /** Nanoseconds since the server's event loop last ran its timer: large means the loop is stuck. */
    public long loopStallNs() {
        return System.nanoTime() - lastTickNs;
    }
}
