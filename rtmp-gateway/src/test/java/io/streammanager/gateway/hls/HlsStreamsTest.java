package io.streammanager.gateway.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HlsStreamsTest {

    private static HlsSettings settings(Duration retention, int queueMessages) {
        return new HlsSettings(Duration.ofSeconds(2), Duration.ofMillis(200), 6, 1 << 20, queueMessages, 8,
                Duration.ofSeconds(6), retention, 1);
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void aWindowOutlivesItsPublisherForTheRetentionAndAReconnectContinuesIt() throws Exception {
        List<String> closed = new ArrayList<>();
        try (HlsStreams streams = new HlsStreams(settings(Duration.ofMillis(400), 64), new HlsObserver() {
            @Override
            public synchronized void streamClosed(String stream) {
                closed.add(stream);
            }
        })) {
            streams.publisherStarted("cam");
            HlsStream first = streams.find("cam").orElseThrow();
            streams.publisherStopped("cam");
            streams.publisherStarted("cam"); // within the retention: the same window, a new packager
            assertSame(first, streams.find("cam").orElseThrow());
            streams.publisherStopped("cam");
            await("the window to go after the retention", () -> streams.find("cam").isEmpty());
            synchronized (closed) {
                assertEquals(List.of("cam"), closed);
            }
            streams.publisherStarted("cam");
            assertNotSame(first, streams.find("cam").orElseThrow());
        }
    }

    @Test
    void unknownStreamsGetA404AndMediaForThemIsIgnored() throws Exception {
        try (HlsStreams streams = new HlsStreams(settings(Duration.ofSeconds(10), 64), HlsObserver.NONE)) {
            streams.media("nobody", 9, 0, Unpooled.wrappedBuffer(new byte[] {0x17, 1, 0, 0, 0}));
            List<HlsAnswer> answers = new ArrayList<>();
            streams.master("nobody", "", answers::add);
            assertEquals(404, answers.getFirst().status());
            assertEquals(0, streams.streamCount());
        }
    }

    @Test
    void aFullPackagingQueueDropsAndCounts() throws Exception {
        List<String> drops = new ArrayList<>();
        HlsPackager packager = new HlsPackager("cam", new MediaWindow(6, 1 << 20, 8), settings(Duration.ofSeconds(10), 4),
                command -> { }, // an executor that never runs: the queue only fills
                new HlsObserver() {
                    @Override
                    public void dropped(String stream) {
                        drops.add(stream);
                    }
                });
        for (int i = 0; i < 10; i++) {
            packager.offer(9, i * 33L, new byte[] {0x27, 1, 0, 0, 0}, 0);
        }
        assertEquals(4, packager.queued());
        assertEquals(6, packager.dropped());
        assertEquals(6, drops.size());
        packager.end(); // the end is queued past the bound: it is never dropped
        assertEquals(5, packager.queued());
    }
}
