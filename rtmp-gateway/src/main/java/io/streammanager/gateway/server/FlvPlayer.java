package io.streammanager.gateway.server;

import io.netty.buffer.ByteBuf;
import io.streammanager.gateway.metrics.GatewayMetrics;
import io.streammanager.gateway.relay.PlayerSink;
import io.streammanager.gateway.relay.SharedMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.streammanager.gateway.relay.LiveStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A browser-style FLV player: an FLV header, then the relay's FLV tags, over whatever {@link Output} carries them (a
 * chunked HTTP response, or a WebSocket with one binary message per tag). Each tag is the message's shared FLV encoding
 * ({@link SharedMessage#shareFlv()}), written without a copy (Vert.x wraps the duplicate; we release it when the write
 * completes). The queue bound is our own count of bytes handed over and not yet written, readable from the relay's
 * thread without Vert.x's connection lock.
 */
final class FlvPlayer implements PlayerSink, GatewaySession {

    /** The transport under one FLV player; called on the player's context only. */
    interface Output {
        Future<Void> write(Buffer bytes);

        /** Ends the stream and closes the connection. */
        void close();
    }

    /** The two ways a browser plays FLV from us: session role, event protocol and session id prefix. */
    enum Kind {
        HTTP("http-flv-player", "http-flv", "h"),
        WEBSOCKET("ws-flv-player", "ws-flv", "w");

        final String role;
        final String protocol;
        final String idPrefix;

        Kind(String role, String protocol, String idPrefix) {
            this.role = role;
            this.protocol = protocol;
            this.idPrefix = idPrefix;
        }
    }

    private static final AtomicLong IDS = new AtomicLong();

    private final Kind kind;
    private final String id;
    private final Output output;
    private final Context context;
    private final GatewayMetrics metrics;
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final int queueBytes;
    private volatile boolean closed;
    private final AtomicBoolean left = new AtomicBoolean();
    private final String stream;
    private final String remoteAddress;
    private final Instant started = Instant.now();
    private final Duration reconnectGrace;
    /** The relay stream this player is attached to; set once, right after attaching. */
    private volatile LiveStream attachedTo;

    FlvPlayer(Kind kind, String stream, String remoteAddress, Output output, Context context, GatewayMetrics metrics,
              int queueBytes, Duration reconnectGrace) {
        this.kind = kind;
        this.reconnectGrace = reconnectGrace;
        this.id = kind.idPrefix + IDS.incrementAndGet();
        this.queueBytes = queueBytes;
        this.stream = stream;
        this.remoteAddress = remoteAddress;
        this.output = output;
        this.context = context;
        this.metrics = metrics;
    }

    Kind kind() {
        return kind;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean writeQueueFull() {
        return queuedBytes.get() >= queueBytes;
    }

    /** Writes the FLV file header; call on the player's context before attaching it to the relay. */
    void writeHeader(Buffer header) {
        output.write(header);
    }

    @Override
    public void send(SharedMessage message) {
        if (closed) {
            return;
        }
        ByteBuf tag = message.shareFlv();
        int n = tag.readableBytes();
        bytesOut.addAndGet(n);
        metrics.bytesOut(n);
        queuedBytes.addAndGet(n);
        context.runOnContext(v -> {
            if (closed) {
                queuedBytes.addAndGet(-n);
                tag.release();
                return;
            }
            output.write(Buffer.buffer(tag)).onComplete(ar -> {
                queuedBytes.addAndGet(-n);
                tag.release();
            });
        });
    }

    @Override
    public void disconnect(String reason) {
        context.runOnContext(v -> end());
    }

    void attachedTo(LiveStream stream) {
        attachedTo = stream;
    }

    /** Like an RTMP player: the response stays open through the reconnect grace, and ends only after it. */
    @Override
    public void publisherLeft() {
        context.runOnContext(v -> {
            LiveStream stream = attachedTo;
            if (closed || stream == null) {
                return;
            }
            ReconnectGrace.start(context.owner(), reconnectGrace, stream, () -> !closed, this::end);
        });
    }

    void end() {
        if (!closed) {
            closed = true;
            output.close();
        }
    }

    /** Marks the player gone; true only for the first call, so cleanup runs once. */
    boolean markClosed() {
        closed = true;
        return left.compareAndSet(false, true);
    }

    @Override
    public SessionInfo info() {
        return new SessionInfo(id, "live", stream, kind.role, remoteAddress, 0, bytesOut.get(), started,
                java.util.List.of(new SessionInfo.Stream(0, stream, kind.role, null)));
    }

    long bytesOut() {
        return bytesOut.get();
    }
}
