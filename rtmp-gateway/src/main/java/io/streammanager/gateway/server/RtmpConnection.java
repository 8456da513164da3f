package io.streammanager.gateway.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.streammanager.bus.control.EventTypes;
import io.streammanager.gateway.auth.AuthDecision;
import io.streammanager.gateway.config.GatewayConfig;
import io.streammanager.gateway.metrics.GatewayMetrics;
import io.streammanager.gateway.relay.LiveStream;
import io.streammanager.gateway.relay.PlayerSink;
import io.streammanager.gateway.relay.PublisherHandle;
import io.streammanager.gateway.relay.SharedMessage;
import io.streammanager.gateway.relay.StreamNames;
import io.streammanager.gateway.rtmp.RtmpException;
import io.streammanager.gateway.rtmp.session.ClientCapabilities;
import io.streammanager.gateway.rtmp.session.PlayRequest;
import io.streammanager.gateway.rtmp.session.PublishRequest;
import io.streammanager.gateway.rtmp.session.ServerSession;
import io.streammanager.gateway.rtmp.session.SessionHandler;
import io.streammanager.gateway.rtmp.session.Status;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.impl.NetSocketInternal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One TCP connection: feeds the socket's bytes to its {@link ServerSession}, writes what the session answers, and
 * plays the publisher or player role in the relay. Everything except {@link #send}, {@link #writeQueueFull} and the
 * disconnect/notify methods runs on the connection's event loop. This is the one class that touches the Netty side
 * of the Vert.x socket (raw ByteBuf in and out, so media buffers are shared, not copied).
 */
final class RtmpConnection implements SessionHandler, PlayerSink, PublisherHandle, GatewaySession {

    private static final Logger LOG = Logger.getLogger(RtmpConnection.class);
    private static final AtomicLong IDS = new AtomicLong();
    /** How long a displaced publisher may read why before its connection is closed. */
    private static final long DISPLACED_LINGER_MS = 2000;
    private static final String BLOCKED_REASON = "too many failed authentications from this address, try again later";

    /** Per error category, so a flood of one kind (idle sockets timing out together) cannot hide the others. */
    private static final java.util.Map<RtmpException.Category, LogThrottle> FAILURE_LOGS = failureLogs();

    private static java.util.Map<RtmpException.Category, LogThrottle> failureLogs() {
        java.util.Map<RtmpException.Category, LogThrottle> logs = new java.util.EnumMap<>(RtmpException.Category.class);
        for (RtmpException.Category category : RtmpException.Category.values()) {
            logs.put(category, new LogThrottle(10));
        }
        return logs;
    }

    private final String id = "s" + IDS.incrementAndGet();
    private final NetSocketInternal socket;
    private final Vertx vertx;
    private final Context context;
    private final ConnectionServices services;
    private final ServerSession session;
    private final String remoteAddress;
    /** The peer's IP without the port: what the auth failure limiter counts by. */
    private final String remoteHost;
    private final Instant started = Instant.now();
    private final long startedNs = System.nanoTime();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private volatile long lastInboundNs = startedNs;
    private long lastPingNs = startedNs;
    /** Since when the connection neither publishes nor plays (start, or its last stream's end). */
    private long idleSinceNs = startedNs;
    private long timerId = -1;
    private volatile boolean closing;
    private LiveStream stream;
    private boolean published;
    private String streamId;

    RtmpConnection(NetSocketInternal socket, Vertx vertx, Context context, ConnectionServices services) {
        this.socket = socket;
        this.vertx = vertx;
        this.context = context;
        this.services = services;
        this.session = new ServerSession(services.sessionSettings(), this, socket.channelHandlerContext().alloc());
        this.remoteAddress = String.valueOf(socket.remoteAddress());
        this.remoteHost = socket.remoteAddress() == null ? remoteAddress : socket.remoteAddress().host();
    }

    void start() {
        socket.messageHandler(this::onMessage);
        socket.closeHandler(v -> onClosed());
        socket.exceptionHandler(e -> LOG.debugf("%s session=%s: socket error: %s", session.context(), id, e.toString()));
        timerId = vertx.setPeriodic(1000, t -> checkTimers());
    }

    private void onMessage(Object message) {
        if (!(message instanceof ByteBuf data)) {
            io.netty.util.ReferenceCountUtil.release(message);
            return;
        }
        int bytes = data.readableBytes();
        bytesIn.addAndGet(bytes);
        services.metrics().bytesIn(bytes);
        lastInboundNs = System.nanoTime();
        if (closing) {
            data.release();
            return;
        }
        try {
            session.receive(data);
        } catch (RtmpException e) {
            fail(e);
        }
    }

    private void checkTimers() {
        long now = System.nanoTime();
        var rtmp = services.config().rtmp();
        if (!session.handshakeDone()) { // until the handshake is done only its own timeout applies
            if (now - startedNs > rtmp.handshakeTimeout().toNanos()) {
                fail(new RtmpException(RtmpException.Category.HANDSHAKE,
                        "handshake not done after " + rtmp.handshakeTimeout().toMillis() + " ms"));
            }
        } else if (session.role() == ServerSession.Role.NONE && stream == null
                && now - idleSinceNs > rtmp.idleTimeout().toNanos()) {
            fail(new RtmpException(RtmpException.Category.TIMEOUT,
                    "neither publishing nor playing after " + rtmp.idleTimeout().toMillis() + " ms"));
        } else if (now - lastInboundNs > rtmp.pingTimeout().toNanos()) {
            fail(new RtmpException(RtmpException.Category.TIMEOUT,
                    "nothing received for " + (now - lastInboundNs) / 1_000_000 + " ms, ping timeout "
                            + rtmp.pingTimeout().toMillis() + " ms"));
        } else if (now - lastPingNs >= rtmp.ping().toNanos()) {
            lastPingNs = now;
            session.ping((now - startedNs) / 1_000_000);
        }
    }

    // ---- SessionHandler: called by the session on this connection's loop

    @Override
    public void write(ByteBuf bytes) {
        if (closing) {
            bytes.release();
            return;
        }
        long n = bytes.readableBytes();
        bytesOut.addAndGet(n);
        services.metrics().bytesOut(n);
        socket.writeMessage(bytes);
    }

    @Override
    public void onPublishRequest(PublishRequest request) {
        if (!StreamNames.valid(request.streamName())) {
            services.metrics().error(RtmpException.Category.PROTOCOL);
            session.refusePublish(Status.PUBLISH_BAD_NAME, "stream name must be " + StreamNames.rule());
            closeAfterWrites("bad stream name");
            return;
        }
        if (refusedAsBlocked("publish")) {
            session.refusePublish(AuthDecision.BAD_AUTH, BLOCKED_REASON);
            closeAfterWrites("source address blocked");
            return;
        }
        services.verifier().verifyPublish(request.streamName(), request.key()).subscribe().with(
                decision -> context.runOnContext(v -> onAuthDecision(request, decision)),
                failure -> context.runOnContext(v -> onAuthDecision(request, AuthDecision.unavailable())));
    }

    /** A blocked source address is refused before any key lookup, so a guesser costs us no Redis round trip. */
    private boolean refusedAsBlocked(String what) {
        if (!services.authFailures().blocked(remoteHost)) {
            return false;
        }
        services.metrics().error(RtmpException.Category.AUTH);
        services.metrics().authBlocked();
        LOG.warnf("%s session=%s remote=%s: %s refused: %s", session.context(), id, remoteAddress, what, BLOCKED_REASON);
        return true;
    }

    /** Counts, logs and reports a refused key (never the key itself); true if the caller must refuse. */
    private boolean refusedAuth(String what, AuthDecision decision) {
        if (decision.allowed()) {
            return false;
        }
        services.metrics().error(RtmpException.Category.AUTH);
        LOG.warnf("%s session=%s remote=%s: %s refused: %s", session.context(), id, remoteAddress, what, decision.reason());
        services.events().publish(EventTypes.AUTH_FAILED, null, attributes("reason", decision.reason()));
        if (decision.failedAuthentication() && services.authFailures().recordFailure(remoteHost)) {
            LOG.warnf("rtmp: remote=%s: blocked for %d ms after %d failed authentications", remoteHost,
                    services.config().auth().blockDuration().toMillis(), services.config().auth().maxFailures());
        }
        return true;
    }

    private void onAuthDecision(PublishRequest request, AuthDecision decision) {
        if (closing) {
            return;
        }
        if (refusedAuth("publish", decision)) {
            session.refusePublish(decision.statusCode(), decision.reason());
            closeAfterWrites("publish refused");
            return;
        }
        boolean takeOver = services.config().publish().conflictPolicy() == GatewayConfig.Publish.ConflictPolicy.TAKEOVER;
        var attached = services.streams().attachPublisher(request.streamName(), this, decision.streamId(), takeOver);
        if (attached.isEmpty()) {
            services.metrics().error(RtmpException.Category.PROTOCOL);
            services.metrics().publishConflict(GatewayMetrics.PUBLISH_REJECTED).increment();
            LOG.warnf("%s session=%s: publish refused: stream already has a publisher", session.context(), id);
            session.refusePublish(Status.PUBLISH_BAD_NAME, "stream " + request.streamName() + " is already being published");
            closeAfterWrites("stream busy");
            return;
        }
        stream = attached.get().stream();
        published = true;
        streamId = decision.streamId();
        session.acceptPublish();
        var displaced = attached.get().displaced();
        if (displaced != null) {
            services.metrics().publishConflict(GatewayMetrics.PUBLISH_TAKEN_OVER).increment();
            LOG.infof("%s session=%s remote=%s: publishing, took the stream over from session=%s", session.context(), id,
                    remoteAddress, displaced.id());
            displaced.displaced("stream " + request.streamName() + " was taken over by another publisher");
            services.events().publish(EventTypes.PUBLISH_START, streamId, attributes("tookOverFrom", displaced.id()));
            return;
        }
        LOG.infof("%s session=%s remote=%s: publishing", session.context(), id, remoteAddress);
        services.events().publish(EventTypes.PUBLISH_START, streamId, attributes());
    }

    @Override
    public void onPlayRequest(PlayRequest request) {
        if (!StreamNames.valid(request.streamName())) {
            services.metrics().error(RtmpException.Category.PROTOCOL);
            session.refusePlay("stream name must be " + StreamNames.rule());
            closeAfterWrites("bad stream name");
            return;
        }
        if (!services.verifier().playProtected()) {
            startPlaying(request);
            return;
        }
        if (refusedAsBlocked("play")) {
            session.refusePlay(BLOCKED_REASON);
            closeAfterWrites("source address blocked");
            return;
        }
        services.verifier().verifyPlay(request.streamName(), request.key(), request.token()).subscribe().with(
                decision -> context.runOnContext(v -> onPlayAuthDecision(request, decision)),
                failure -> context.runOnContext(v -> onPlayAuthDecision(request, AuthDecision.unavailable())));
    }

    private void onPlayAuthDecision(PlayRequest request, AuthDecision decision) {
        if (closing) {
            return;
        }
        if (refusedAuth("play", decision)) {
            session.refusePlay(decision.reason());
            closeAfterWrites("play refused");
            return;
        }
        startPlaying(request);
    }

    private void startPlaying(PlayRequest request) {
        String codec = services.streams().find(request.streamName()).map(LiveStream::videoCodec).orElse(null);
        if (codec != null && !acceptsVideoCodec(codec)) {
            refuseCodec(codec);
            return;
        }
        if (codec != null) {
            services.metrics().enhancedPlay(session.capabilities().signalled() ? "signalled" : "unsignalled");
        }
        session.acceptPlay();
        stream = services.streams().attachPlayer(request.streamName(), this);
        streamId = stream.streamId();
        LOG.infof("%s session=%s remote=%s: playing%s", session.context(), id, remoteAddress,
                session.capabilities().signalled() ? " (E-RTMP video " + session.capabilities().videoFourCcs() + ")" : "");
        services.events().publish(EventTypes.PLAY_START, streamId, attributes());
    }

    @Override
    public void onMedia(int typeId, long timestamp, ByteBuf payload, boolean metadata) {
        if (stream == null) {
            payload.release();
            return;
        }
        stream.publish(this, typeId, timestamp, payload, metadata);
    }

    @Override
    public void onUnpublish() {
        leaveStream();
    }

    @Override
    public void onPlayStop() {
        leaveStream();
    }

    private void leaveStream() {
        LiveStream left = stream;
        if (left == null) {
            return;
        }
        stream = null;
        idleSinceNs = System.nanoTime();
        if (published) {
            published = false;
            left.detachPublisher(this);
            services.events().publish(EventTypes.PUBLISH_STOP, streamId, attributes("bytesIn", Long.toString(bytesIn.get())));
        } else {
            left.removePlayer(id);
            services.events().publish(EventTypes.PLAY_STOP, streamId, attributes("bytesOut", Long.toString(bytesOut.get())));
        }
        services.streams().removeIfIdle(left);
    }

    // ---- PlayerSink / PublisherHandle: callable from any thread

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean writeQueueFull() {
        ChannelOutboundBuffer pending = socket.channelHandlerContext().channel().unsafe().outboundBuffer();
        return pending != null && pending.totalPendingWriteBytes() >= services.config().player().queueBytes();
    }

    @Override
    public void send(SharedMessage message) {
        send(message, true);
    }

    @Override
    public void send(SharedMessage message, boolean flush) {
        if (closing) {
            return;
        }
        ChannelHandlerContext ctx = socket.channelHandlerContext();
        if (flush) {
            ctx.writeAndFlush(count(message.share()), ctx.voidPromise());
        } else {
            ctx.write(count(message.share()), ctx.voidPromise());
        }
    }

    @Override
    public void flush() {
        if (!closing) {
            socket.channelHandlerContext().flush();
        }
    }

    /** A joining player's start (metadata, sequence headers, GOP cache): queued in order, then one flush, one writev. */
    @Override
    public void sendAll(java.util.List<SharedMessage> messages) {
        if (closing || messages.isEmpty()) {
            return;
        }
        ChannelHandlerContext ctx = socket.channelHandlerContext();
        for (SharedMessage message : messages) {
            ctx.write(count(message.share()), ctx.voidPromise());
        }
        ctx.flush();
    }

    // Media goes straight to Netty with its void promise (no Vert.x future and listener per message per player); it
    // stays ordered with Vert.x's writes, which reach the same pipeline on the same loop. Netty counts a queued write
    // in the channel's outbound buffer from the moment it is issued, on any thread: writeQueueFull reads that.
    private ByteBuf count(ByteBuf chunks) {
        long n = chunks.readableBytes();
        bytesOut.addAndGet(n);
        services.metrics().bytesOut(n);
        return chunks;
    }

    @Override
    public void disconnect(String reason) {
        context.runOnContext(v -> {
            if (!closing) {
                LOG.infof("%s session=%s: disconnecting: %s", session.context(), id, reason);
                if (reason.startsWith("player behind")) {
                    services.metrics().error(RtmpException.Category.SLOW_PLAYER);
                }
                close();
            }
        });
    }

    /**
     * Players are told nothing at first: ffmpeg and others quit on Play.UnpublishNotify, and a publisher that
     * reconnects within {@code gateway.publish.reconnect-grace} resumes them. Only after it do they hear the end.
     */
    @Override
    public void publisherLeft() {
        context.runOnContext(v -> {
            LiveStream watched = stream;
            if (watched == null || closing) {
                return;
            }
            ReconnectGrace.start(vertx, services.config().publish().reconnectGrace(), watched,
                    () -> !closing && stream == watched,
                    () -> session.endPlay(watched.name() + " is no longer published"));
        });
    }

    /** Another publisher took our stream over (policy takeover): an error status saying so, then close. */
    @Override
    public void displaced(String description) {
        context.runOnContext(v -> {
            if (closing || !published) {
                return;
            }
            LOG.infof("%s session=%s remote=%s: %s", session.context(), id, remoteAddress, description);
            published = false;
            stream = null; // the stream is the newcomer's now: nothing to detach
            services.events().publish(EventTypes.PUBLISH_STOP, streamId,
                    attributes("bytesIn", Long.toString(bytesIn.get()), "reason", "taken over"));
            session.refusePublish(Status.PUBLISH_BAD_NAME, description);
            // a publisher reads only between its writes: closing at once would hand it EPIPE before our status, so
            // ignore what it still sends and close a moment later
            closing = true;
            vertx.setTimer(DISPLACED_LINGER_MS, t -> socket.close());
        });
    }

    /**
     * E-RTMP video goes to a player whose connect listed the codec (or "*"). A player that listed nothing (a legacy
     * client, or ffmpeg playing without -rtmp_enhanced_codecs) gets it unless gateway.enhanced-rtmp says otherwise:
     * ffmpeg and most E-RTMP-aware players decode it without asking.
     */
    @Override
    public boolean acceptsVideoCodec(String fourCc) {
        ClientCapabilities capabilities = session.capabilities();
        return capabilities.signalled() ? capabilities.lists(fourCc)
                : !services.config().enhancedRtmp().refuseUnsignalledPlayers();
    }

    @Override
    public void codecRefused(String fourCc) {
        context.runOnContext(v -> {
            if (!closing) {
                leaveStream(); // the relay already detached this player; this tells the control plane
                refuseCodec(fourCc);
            }
        });
    }

    private void refuseCodec(String fourCc) {
        services.metrics().enhancedPlay("refused");
        String reason = "stream video is " + fourCc + " (Enhanced RTMP) and this player's connect did not list it;"
                + " list it in the connect's fourCcList (ffmpeg: -rtmp_enhanced_codecs " + fourCc + ")";
        LOG.warnf("%s session=%s remote=%s: play refused: %s", session.context(), id, remoteAddress, reason);
        session.refusePlay(reason);
        closeAfterWrites("codec not accepted");
    }

    // ---- closing

    private void fail(RtmpException e) {
        services.metrics().error(e.category());
        long dropped = FAILURE_LOGS.get(e.category()).admit();
        if (dropped >= 0) {
            LOG.warnf("%s (session=%s remote=%s)%s", e.getMessage(), id, remoteAddress, LogThrottle.note(dropped));
        }
        close();
    }

    private void closeAfterWrites(String reason) {
        closing = true;
        socket.writeMessage(io.netty.buffer.Unpooled.EMPTY_BUFFER).onComplete(ar -> socket.close());
    }

    private void close() {
        if (!closing) {
            closing = true;
            socket.close();
        }
    }

    private void onClosed() {
        closing = true;
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        leaveStream();
        session.close();
        services.connections().remove(this);
        LOG.debugf("%s session=%s: closed, %d bytes in, %d bytes out", session.context(), id, bytesIn.get(), bytesOut.get());
    }

    private Map<String, String> attributes(String... extra) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("streamName", session.streamName() == null ? "" : session.streamName());
        attributes.put("app", session.app() == null ? "" : session.app());
        attributes.put("sessionId", id);
        attributes.put("remoteAddress", remoteAddress);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            attributes.put(extra[i], extra[i + 1]);
        }
        return attributes;
    }

    @Override
    public SessionInfo info() {
        String role = switch (session.role()) {
            case PUBLISHER -> "publisher";
            case PLAYER -> "player";
            case NONE -> "none";
        };
        return new SessionInfo(id, session.app(), session.streamName(), role, remoteAddress, bytesIn.get(),
                bytesOut.get(), started);
    }
}
