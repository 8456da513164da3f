package io.streammanager.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streammanager.gateway.metrics.GatewayMetrics;
import io.streammanager.gateway.relay.SharedMessage;
import io.streammanager.gateway.rtmp.message.MessageType;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.streammanager.gateway.relay.LiveStream;
import io.streammanager.gateway.relay.PublisherHandle;
import io.streammanager.gateway.relay.RelayObserver;
import io.streammanager.gateway.relay.RelaySettings;
import io.streammanager.gateway.relay.StreamRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The FLV player over a transport whose writes complete only when the test says (a stalled socket): its queue bound,
 * and that every player writes the message's one shared FLV tag, released when each write completes.
 */
class FlvPlayerTest {

    /** A transport that keeps each write pending until {@link #completeAll()}. */
    static final class StalledOutput implements FlvPlayer.Output {
        final List<Buffer> written = new CopyOnWriteArrayList<>();
        final List<Promise<Void>> pending = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        @Override
        public Future<Void> write(Buffer bytes) {
            Promise<Void> promise = Promise.promise();
            written.add(bytes);
            pending.add(promise);
            return promise.future();
        }

        @Override
        public void close() {
            closed = true;
        }

        void completeAll() {
            pending.forEach(Promise::tryComplete);
        }
    }

    private Vertx vertx;
    private Context context;
    private final GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry());

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static SharedMessage videoMessage(int payloadBytes) {
        ByteBuf payload = Unpooled.buffer(payloadBytes).writeZero(payloadBytes);
        payload.setByte(0, 0x17);
        try {
            return SharedMessage.encode(PooledByteBufAllocator.DEFAULT, MessageType.VIDEO, 40, payload, 4096, true, false);
        } finally {
            payload.release();
        }
    }

    private void onContext(Runnable action) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.runOnContext(v -> {
            action.run();
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }

    @Test
    void aStalledPlayerCountsItsQueuedTagsAgainstTheBoundAndFreesThemAsWritesComplete() throws Exception {
        StalledOutput output = new StalledOutput();
        int tagBytes = 11 + 10_000 + 4;
        FlvPlayer player = new FlvPlayer(FlvPlayer.Kind.WEBSOCKET, "cam", "127.0.0.1:1", output, context, metrics,
                2 * tagBytes + 1, Duration.ZERO);
        SharedMessage message = videoMessage(10_000);
        try {
            player.send(message);
            player.send(message);
            await(() -> output.written.size() == 2);
            assertFalse(player.writeQueueFull(), "two tags fit under the bound");
            player.send(message);
            assertTrue(player.writeQueueFull(), "the third is counted at once, before its write even starts");
            await(() -> output.written.size() == 3);
            onContext(output::completeAll);
            await(() -> !player.writeQueueFull());
            assertEquals(3L * tagBytes, player.bytesOut());
            assertEquals("ws-flv-player", player.info().role());
            assertTrue(player.id().startsWith("w"), player.id());
        } finally {
            message.release();
        }
        assertEquals(0, message.refCnt(), "every tag reference released once its write completed");
    }

    @Test
    void everyPlayerWritesTheSameSharedTagBytesWithoutACopy() throws Exception {
        StalledOutput http = new StalledOutput();
        StalledOutput ws = new StalledOutput();
        FlvPlayer first = new FlvPlayer(FlvPlayer.Kind.HTTP, "cam", "a", http, context, metrics, 1 << 20, Duration.ZERO);
        FlvPlayer second = new FlvPlayer(FlvPlayer.Kind.WEBSOCKET, "cam", "b", ws, context, metrics, 1 << 20, Duration.ZERO);
        SharedMessage message = videoMessage(5_000);
        first.send(message);
        second.send(message);
        await(() -> http.written.size() == 1 && ws.written.size() == 1);
        ByteBuf a = http.written.getFirst().getByteBuf();
        ByteBuf b = ws.written.getFirst().getByteBuf();
        assertEquals(a.readableBytes(), b.readableBytes());
        assertSame(root(a), root(b), "both writes view one buffer");
        assertEquals(start(a), start(b), "at the same bytes");
        onContext(() -> {
            http.completeAll();
            ws.completeAll();
        });
        await(() -> !first.writeQueueFull() && !second.writeQueueFull());
        message.release();
        assertEquals(0, message.refCnt());
    }

    @Test
    void aClosedPlayerDropsWhatArrivesAndClosesItsTransportOnce() throws Exception {
        StalledOutput output = new StalledOutput();
        FlvPlayer player = new FlvPlayer(FlvPlayer.Kind.HTTP, "cam", "a", output, context, metrics, 1 << 20, Duration.ZERO);
        player.disconnect("test");
        await(() -> output.closed);
        assertTrue(player.markClosed());
        assertFalse(player.markClosed(), "cleanup runs once");
        SharedMessage message = videoMessage(100);
        player.send(message);
        message.release();
        assertEquals(0, message.refCnt(), "nothing kept for a closed player");
        assertEquals(List.of(), output.written);
    }

    @Test
    void whenThePublisherLeavesThePlayerStaysThroughTheReconnectGraceAndEndsAfterIt() throws Exception {
        StreamRegistry registry = new StreamRegistry(new RelaySettings(4096, 0, Duration.ofSeconds(5)),
                PooledByteBufAllocator.DEFAULT, RelayObserver.NONE);
        PublisherHandle publisher = new PublisherHandle() {
            @Override
            public String id() {
                return "pub";
            }

            @Override
            public void disconnect(String reason) {
            }
        };
        LiveStream stream = registry.attachPublisher("cam", publisher, "id-1").orElseThrow();
        StalledOutput output = new StalledOutput();
        Duration grace = Duration.ofMillis(300);
        FlvPlayer player = new FlvPlayer(FlvPlayer.Kind.HTTP, "cam", "a", output, context, metrics, 1 << 20, grace);
        onContext(() -> {
            registry.attachPlayer("cam", player);
            player.attachedTo(stream);
        });
        long left = System.nanoTime();
        stream.detachPublisher(publisher);
        await(() -> output.closed);
        long elapsedMs = (System.nanoTime() - left) / 1_000_000;
        assertTrue(elapsedMs >= grace.toMillis() - 50, "ended after " + elapsedMs + " ms, grace " + grace.toMillis());
    }

    /** Where a buffer's readable bytes start in memory (or in its array). */
    private static long start(ByteBuf buffer) {
        return buffer.hasMemoryAddress() ? buffer.memoryAddress() + buffer.readerIndex()
                : System.identityHashCode(buffer.array()) * 1_000_000_000L + buffer.arrayOffset() + buffer.readerIndex();
    }

    private static ByteBuf root(ByteBuf buffer) {
        ByteBuf current = buffer;
        while (current.unwrap() != null) {
            current = current.unwrap();
        }
        return current;
    }
}
