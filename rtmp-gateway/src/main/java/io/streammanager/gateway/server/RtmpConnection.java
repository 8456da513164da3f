package io.streammanager.gateway.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.streammanager.bus.control.EventTypes;
import io.streammanager.gateway.auth.AuthDecision;
import io.streammanager.gateway.config.GatewayConfig;
import io.streammanager.gateway.metrics.GatewayMetrics;
import io.streammanager.gateway.relay.LiveStream;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One TCP connection: feeds the socket's bytes to its {@link ServerSession}, writes what the session answers, and
 * takes part in the relay with one {@link StreamBinding} per message stream that publishes or plays (a connection may
 * publish and play several streams at once). Everything except {@link #send}, {@link #writeQueueFull} and the
 * disconnect/notify methods runs on the connection's event loop. This is the one class that touches the Netty side
 * of the Vert.x socket (raw ByteBuf in and out, so media buffers are shared, not copied).
 */
final class RtmpConnection implements SessionHandler, GatewaySession {

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
    /** Since when the connection neither publishes nor plays (start, or its last stream's end, to the timer's second). */
    private long idleSinceNs = startedNs;
    private long timerId = -1;
    private volatile boolean closing;
    /** Publishing or playing message streams by id; changed on the loop, read by info() from any thread. */
    private final ConcurrentSkipListMap<Integer, StreamBinding> bindings = new ConcurrentSkipListMap<>();

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
        boolean idle = bindings.isEmpty() && session.activeStreams() == 0;
        if (!idle) { // seen busy now (a stream, or a publish or play waiting for its key check)
            idleSinceNs = now;
        }
        if (!session.handshakeDone()) { // until the handshake is done only its own timeout applies
            if (now - startedNs > rtmp.handshakeTimeout().toNanos()) {
                fail(new RtmpException(RtmpException.Category.HANDSHAKE,
                        "handshake not done after " + rtmp.handshakeTimeout().toMillis() + " ms"));
            }
        } else if (idle && now - idleSinceNs > rtmp.idleTimeout().toNanos()) {
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
    public void onStreamLimit(String description) {
        services.metrics().error(RtmpException.Category.LIMIT);
        LOG.warnf("%s session=%s remote=%s: %s", session.context(), id, remoteAddress, description);
    }

    @Override
    public void onPublishRequest(int msid, PublishRequest request) {
        if (!StreamNames.valid(request.streamName())) {
            services.metrics().error(RtmpException.Category.PROTOCOL);
            session.refusePublish(msid, Status.PUBLISH_BAD_NAME, "stream name must be " + StreamNames.rule());
            closeUnlessBusy("bad stream name");
            return;
        }
        if (refusedAsBlocked(msid, "publish")) {
            session.refusePublish(msid, AuthDecision.BAD_AUTH, BLOCKED_REASON);
            closeAfterWrites("source address blocked");
            return;
        }
        services.verifier().verifyPublish(request.streamName(), request.key()).subscribe().with(
                decision -> context.runOnContext(v -> onAuthDecision(msid, request, decision)),
                failure -> context.runOnContext(v -> onAuthDecision(msid, request, AuthDecision.unavailable())));
    }

    /** A blocked source address is refused before any key lookup, so a guesser costs us no Redis round trip. */
    private boolean refusedAsBlocked(int msid, String what) {
        if (!services.authFailures().blocked(remoteHost)) {
            return false;
        }
        services.metrics().error(RtmpException.Category.AUTH);
        services.metrics().authBlocked();
        LOG.warnf("%s session=%s remote=%s: %s refused: %s", session.context(msid), id, remoteAddress, what, BLOCKED_REASON);
        return true;
    }

    /**
     * Counts, logs and reports a refused key (never the key itself); true if the caller must refuse. A refused key
     * closes the whole connection, whatever else it runs: a guesser gets no second try on it.
     */
    private boolean refusedAuth(int msid, String streamName, String what, AuthDecision decision) {
        if (decision.allowed()) {
            return false;
        }
        services.metrics().error(RtmpException.Category.AUTH);
        LOG.warnf("%s session=%s remote=%s: %s refused: %s", session.context(msid), id, remoteAddress, what, decision.reason());
        services.events().publish(EventTypes.AUTH_FAILED, null, attributes(streamName, "reason", decision.reason()));
        if (decision.failedAuthentication() && services.authFailures().recordFailure(remoteHost)) {
            LOG.warnf("rtmp: remote=%s: blocked for %d ms after %d failed authentications", remoteHost,
                    services.config().auth().blockDuration().toMillis(), services.config().auth().maxFailures());
        }
        return true;
    }

    private void onAuthDecision(int msid, PublishRequest request, AuthDecision decision) {
        if (closing) {
            return;
        }
        if (refusedAuth(msid, request.streamName(), "publish", decision)) {
            session.refusePublish(msid, decision.statusCode(), decision.reason());
            closeAfterWrites("publish refused");
            return;
        }
        if (!session.pending(msid, request)) { // deleteStream while the key was checked: nothing to publish
            return;
        }
        StreamBinding binding = new StreamBinding(this, msid, request.streamName(), true);
        boolean takeOver = services.config().publish().conflictPolicy() == GatewayConfig.Publish.ConflictPolicy.TAKEOVER;
        var attached = services.streams().attachPublisher(request.streamName(), binding, decision.streamId(), takeOver);
        if (attached.isEmpty()) {
            services.metrics().error(RtmpException.Category.PROTOCOL);
            services.metrics().publishConflict(GatewayMetrics.PUBLISH_REJECTED).increment();
            LOG.warnf("%s session=%s: publish refused: stream already has a publisher", session.context(msid), id);
            session.refusePublish(msid, Status.PUBLISH_BAD_NAME, "stream " + request.streamName() + " is already being published");
            closeUnlessBusy("stream busy");
            return;
        }
        binding.attached(attached.get().stream(), decision.streamId());
        session.acceptPublish(msid, request);
        bindings.put(msid, binding);
        var displaced = attached.get().displaced();
        if (displaced != null) {
            services.metrics().publishConflict(GatewayMetrics.PUBLISH_TAKEN_OVER).increment();
            LOG.infof("%s session=%s remote=%s: publishing, took the stream over from session=%s", session.context(msid),
                    binding.id(), remoteAddress, displaced.id());
            displaced.displaced("stream " + request.streamName() + " was taken over by another publisher");
            services.events().publish(EventTypes.PUBLISH_START, binding.controlStreamId(),
                    attributes(binding, "tookOverFrom", displaced.id()));
            return;
        }
        LOG.infof("%s session=%s remote=%s: publishing", session.context(msid), binding.id(), remoteAddress);
        services.events().publish(EventTypes.PUBLISH_START, binding.controlStreamId(), attributes(binding));
    }

    @Override
    public void onPlayRequest(int msid, PlayRequest request) {
        if (!StreamNames.valid(request.streamName())) {
            services.metrics().error(RtmpException.Category.PROTOCOL);
            session.refusePlay(msid, "stream name must be " + StreamNames.rule());
            closeUnlessBusy("bad stream name");
            return;
        }
        if (!services.verifier().playProtected()) {
            startPlaying(msid, request);
            return;
        }
        if (refusedAsBlocked(msid, "play")) {
            session.refusePlay(msid, BLOCKED_REASON);
            closeAfterWrites("source address blocked");
            return;
        }
        services.verifier().verifyPlay(request.streamName(), request.key(), request.token()).subscribe().with(
                decision -> context.runOnContext(v -> onPlayAuthDecision(msid, request, decision)),
                failure -> context.runOnContext(v -> onPlayAuthDecision(msid, request, AuthDecision.unavailable())));
    }

    private void onPlayAuthDecision(int msid, PlayRequest request, AuthDecision decision) {
        if (closing) {
            return;
        }
        if (refusedAuth(msid, request.streamName(), "play", decision)) {
            session.refusePlay(msid, decision.reason());
            closeAfterWrites("play refused");
            return;
        }
        startPlaying(msid, request);
    }

    private void startPlaying(int msid, PlayRequest request) {
        String codec = services.streams().find(request.streamName()).map(LiveStream::videoCodec).orElse(null);
        if (codec != null && !acceptsVideoCodec(codec)) {
            refuseCodec(msid, codec);
            return;
        }
        if (!session.acceptPlay(msid, request)) { // deleteStream while the play was checked
            return;
        }
        if (codec != null) {
            services.metrics().enhancedPlay(session.capabilities().signalled() ? "signalled" : "unsignalled");
        }
        StreamBinding binding = new StreamBinding(this, msid, request.streamName(), false);
        bindings.put(msid, binding);
        LiveStream stream = services.streams().attachPlayer(request.streamName(), binding);
        binding.attached(stream, stream.streamId());
        LOG.infof("%s session=%s remote=%s: playing%s", session.context(msid), binding.id(), remoteAddress,
                session.capabilities().signalled() ? " (E-RTMP video " + session.capabilities().videoFourCcs() + ")" : "");
        services.events().publish(EventTypes.PLAY_START, binding.controlStreamId(), attributes(binding));
    }

    @Override
    public void onMedia(int msid, int typeId, long timestamp, ByteBuf payload, boolean metadata) {
        StreamBinding binding = bindings.get(msid);
        if (binding == null || !binding.publisher()) {
            payload.release();
            return;
        }
        binding.stream().publish(binding, typeId, timestamp, payload, metadata);
    }

    @Override
    public void onUnpublish(int msid) {
        leaveStream(msid);
    }

    @Override
    public void onPlayStop(int msid) {
        leaveStream(msid);
    }

    private void leaveStream(int msid) {
        StreamBinding binding = bindings.remove(msid);
        if (binding == null) {
            return;
        }
        if (bindings.isEmpty()) {
            idleSinceNs = System.nanoTime();
        }
        LiveStream left = binding.stream();
        if (binding.publisher()) {
            left.detachPublisher(binding);
            services.events().publish(EventTypes.PUBLISH_STOP, binding.controlStreamId(),
                    attributes(binding, "bytesIn", Long.toString(bytesIn.get())));
        } else {
            left.removePlayer(binding.id());
            services.events().publish(EventTypes.PLAY_STOP, binding.controlStreamId(),
                    attributes(binding, "bytesOut", Long.toString(bytesOut.get())));
        }
        services.streams().removeIfIdle(left);
    }

    // ---- what the bindings ask of the socket: callable from any thread

    @Override
    public String id() {
        return id;
    }

    boolean writeQueueFull() {
        ChannelOutboundBuffer pending = socket.channelHandlerContext().channel().unsafe().outboundBuffer();
        return pending != null && pending.totalPendingWriteBytes() >= services.config().player().queueBytes();
    }

    void send(SharedMessage message, int msid, boolean flush) {
        if (closing) {
            return;
        }
        ChannelHandlerContext ctx = socket.channelHandlerContext();
        if (flush) {
            ctx.writeAndFlush(count(message.share(msid)), ctx.voidPromise());
        } else {
            ctx.write(count(message.share(msid)), ctx.voidPromise());
        }
    }

    /** Hands what {@link #send} queued without a flush to the socket. */
    void flush() {
        if (!closing) {
            socket.channelHandlerContext().flush();
        }
    }

    /** A joining player's start (metadata, sequence headers, GOP cache): queued in order, then one flush, one writev. */
    void sendAll(List<SharedMessage> messages, int msid) {
        if (closing || messages.isEmpty()) {
            return;
        }
        ChannelHandlerContext ctx = socket.channelHandlerContext();
        for (SharedMessage message : messages) {
            ctx.write(count(message.share(msid)), ctx.voidPromise());
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
     * StopStream for this binding's stream: the relay has already let go of it. Its message stream is told and freed,
     * stop events go out as if the client had stopped, and the connection closes only when nothing else runs on it.
     */
    void stopBinding(StreamBinding binding, String reason) {
        context.runOnContext(v -> {
            int msid = binding.messageStreamId();
            if (closing || bindings.get(msid) != binding) {
                return;
            }
            LOG.infof("%s session=%s: stream stopped: %s", session.context(msid), binding.id(), reason);
            leaveStream(msid); // detaching again is a no-op for the relay; this sends the stop event
            session.stopStream(msid, reason);
            closeUnlessBusy(reason);
        });
    }

    /**
     * Players are told nothing at first: ffmpeg and others quit on Play.UnpublishNotify, and a publisher that
     * reconnects within {@code gateway.publish.reconnect-grace} resumes them. Only after it do they hear the end.
     */
    void publisherLeft(StreamBinding binding) {
        context.runOnContext(v -> {
            LiveStream watched = binding.stream();
            if (watched == null || closing || bindings.get(binding.messageStreamId()) != binding) {
                return;
            }
            ReconnectGrace.start(vertx, services.config().publish().reconnectGrace(), watched,
                    () -> !closing && bindings.get(binding.messageStreamId()) == binding,
                    () -> session.endPlay(binding.messageStreamId(), watched.name() + " is no longer published"));
        });
    }

    /**
     * Another publisher took this binding's stream over (policy takeover): an error status on its message stream. A
     * connection with nothing else running is then closed; one that still publishes or plays other streams stays.
     */
    void displaced(StreamBinding binding, String description) {
        context.runOnContext(v -> {
            int msid = binding.messageStreamId();
            if (closing || bindings.get(msid) != binding) {
                return;
            }
            LOG.infof("%s session=%s remote=%s: %s", session.context(msid), binding.id(), remoteAddress, description);
            bindings.remove(msid); // the stream is the newcomer's now: nothing to detach
            services.events().publish(EventTypes.PUBLISH_STOP, binding.controlStreamId(),
                    attributes(binding, "bytesIn", Long.toString(bytesIn.get()), "reason", "taken over"));
            session.refusePublish(msid, Status.PUBLISH_BAD_NAME, description);
            if (!bindings.isEmpty() || session.activeStreams() > 0) {
                return;
            }
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
    boolean acceptsVideoCodec(String fourCc) {
        ClientCapabilities capabilities = session.capabilities();
        return capabilities.signalled() ? capabilities.lists(fourCc)
                : !services.config().enhancedRtmp().refuseUnsignalledPlayers();
    }

    void codecRefused(StreamBinding binding, String fourCc) {
        context.runOnContext(v -> {
            if (!closing && bindings.get(binding.messageStreamId()) == binding) {
                leaveStream(binding.messageStreamId()); // the relay already detached this player; this tells the control plane
                refuseCodec(binding.messageStreamId(), fourCc);
            }
        });
    }

    private void refuseCodec(int msid, String fourCc) {
        services.metrics().enhancedPlay("refused");
        String reason = "stream video is " + fourCc + " (Enhanced RTMP) and this player's connect did not list it;"
                + " list it in the connect's fourCcList (ffmpeg: -rtmp_enhanced_codecs " + fourCc + ")";
        LOG.warnf("%s session=%s remote=%s: play refused: %s", session.context(msid), id, remoteAddress, reason);
        session.refusePlay(msid, reason);
        closeUnlessBusy("codec not accepted");
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

    /**
     * After a refused stream: a connection with nothing else running is closed once the refusal is written (as with
     * one stream per connection); one that publishes or plays other streams keeps them.
     */
    private void closeUnlessBusy(String reason) {
        if (bindings.isEmpty() && session.activeStreams() == 0) {
            closeAfterWrites(reason);
        }
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

    /** Leaves every stream the connection was in, each with its stop event. */
    private void onClosed() {
        closing = true;
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        for (Integer msid : List.copyOf(bindings.keySet())) {
            leaveStream(msid);
        }
        session.close();
        services.connections().remove(this);
        LOG.debugf("%s session=%s: closed, %d bytes in, %d bytes out", session.context(), id, bytesIn.get(), bytesOut.get());
    }

    private Map<String, String> attributes(StreamBinding binding, String... extra) {
        Map<String, String> attributes = attributes(binding.name(), extra);
        if (binding.messageStreamId() != ServerSession.MEDIA_STREAM_ID) {
            attributes.put("messageStreamId", Integer.toString(binding.messageStreamId()));
        }
        return attributes;
    }

    private Map<String, String> attributes(String streamName, String... extra) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("streamName", streamName == null ? "" : streamName);
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
        List<SessionInfo.Stream> streams = bindings.values().stream().map(StreamBinding::info).toList();
        SessionInfo.Stream first = streams.isEmpty() ? null : streams.getFirst();
        return new SessionInfo(id, session.app(), first == null ? null : first.name(), first == null ? "none" : first.role(),
                remoteAddress, bytesIn.get(), bytesOut.get(), started, streams);
    }
}
