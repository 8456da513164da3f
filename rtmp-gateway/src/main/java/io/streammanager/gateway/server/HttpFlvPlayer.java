package io.streammanager.gateway.server;

import io.netty.buffer.ByteBuf;
import io.streammanager.gateway.metrics.GatewayMetrics;
import io.streammanager.gateway.relay.PlayerSink;
import io.streammanager.gateway.relay.SharedMessage;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP-FLV player: a chunked HTTP response fed FLV tags from the relay. Each tag is the message's shared FLV
 * encoding, written without a copy (Vert.x wraps the duplicate unreleasable; we release it when the write completes).
 */
final class HttpFlvPlayer implements PlayerSink, GatewaySession {

    private static final AtomicLong IDS = new AtomicLong();

    private final String id = "h" + IDS.incrementAndGet();
    private final HttpServerResponse response;
    private final Context context;
    private final GatewayMetrics metrics;
    private final AtomicLong bytesOut = new AtomicLong();
    /** Tag bytes handed over and not yet written: our own bound, readable without Vert.x's connection lock. */
    private final AtomicLong queuedBytes = new AtomicLong();
    private final int queueBytes;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicBoolean left = new java.util.concurrent.atomic.AtomicBoolean();

    private final String stream;
    private final String remoteAddress;
    private final java.time.Instant started = java.time.Instant.now();

    HttpFlvPlayer(String stream, String remoteAddress, HttpServerResponse response, Context context, GatewayMetrics metrics,
                  int queueBytes) {
        this.queueBytes = queueBytes;
        this.stream = stream;
        this.remoteAddress = remoteAddress;
        this.response = response;
        this.context = context;
        this.metrics = metrics;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean writeQueueFull() {
        return queuedBytes.get() >= queueBytes;
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
            response.write(Buffer.buffer(tag)).onComplete(ar -> {
                queuedBytes.addAndGet(-n);
                tag.release();
            });
        });
    }

    @Override
    public void disconnect(String reason) {
        context.runOnContext(v -> end());
    }

    @Override
    public void publisherLeft() {
        disconnect("publisher left");
    }

    void end() {
        if (!closed) {
            closed = true;
            response.end();
            response.close();
        }
    }

    /** Marks the player gone; true only for the first call, so cleanup runs once. */
    boolean markClosed() {
        closed = true;
        return left.compareAndSet(false, true);
    }

    @Override
    public SessionInfo info() {
        return new SessionInfo(id, "live", stream, "http-flv-player", remoteAddress, 0, bytesOut.get(), started);
    }

    long bytesOut() {
        return bytesOut.get();
    }
}
