package io.streammanager.bus.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.streammanager.bus.testing.RedisTestServer;
import io.streammanager.bus.testing.TestRedisClient;

class CommandBusTest {

    private static RedisTestServer server;
    private static TestRedisClient client;

    @BeforeAll
    static void startRedis() {
        server = RedisTestServer.start();
        client = new TestRedisClient(server);
    }

    @AfterAll
    static void stopRedis() {
        client.close();
        server.close();
    }

    @BeforeEach
    void emptyRedis() {
        client.dataSource().flushall();
    }

    @Test
    void everyServiceGroupReceivesEveryCommandOnce() {
        CommandBus bus = new CommandBus(client.dataSource());
        bus.ensureGroup(ConsumerGroups.ENCODER);
        bus.ensureGroup(ConsumerGroups.MUXER);
        bus.ensureGroup(ConsumerGroups.MUXER); // idempotent
        bus.publish(new StopStream("s1", "demo", "test"));

        List<ReceivedCommand> encoder = bus.read(ConsumerGroups.ENCODER, "e1", 10, Duration.ofMillis(100));
        List<ReceivedCommand> muxer = bus.read(ConsumerGroups.MUXER, "m1", 10, Duration.ofMillis(100));
        assertEquals(1, encoder.size());
        assertEquals(1, muxer.size());
        assertEquals(new StopStream("s1", "demo", "test"), encoder.get(0).command());

        bus.ack(ConsumerGroups.ENCODER, encoder.get(0));
        assertTrue(bus.read(ConsumerGroups.ENCODER, "e1", 10, Duration.ofMillis(50)).isEmpty());
        assertTrue(bus.read(ConsumerGroups.ENCODER, "e2", 10, Duration.ofMillis(50)).isEmpty(),
                "another instance of the same service must not see the command again");
    }

    @Test
    void aCommandLeftPendingByADeadConsumerIsClaimedByALiveOne() throws InterruptedException {
        CommandBus bus = new CommandBus(client.dataSource(), Duration.ofMillis(200));
        bus.ensureGroup(ConsumerGroups.ENCODER);
        bus.publish(new StopStream("s1", "demo", "test"));
        assertEquals(1, bus.read(ConsumerGroups.ENCODER, "dead", 10, Duration.ofMillis(100)).size());

        List<ReceivedCommand> claimed = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (claimed.isEmpty() && System.nanoTime() < deadline) {
            claimed = bus.read(ConsumerGroups.ENCODER, "alive", 10, Duration.ofMillis(100));
        }
        assertEquals(1, claimed.size());
        assertEquals("s1", claimed.get(0).command().streamId());
    }

    @Test
    void undecodableEntriesAreSkippedAckedAndCounted() {
        CommandBus bus = new CommandBus(client.dataSource());
        bus.ensureGroup(ConsumerGroups.MUXER);
        client.dataSource().stream(String.class).xadd(RedisKeys.COMMANDS, Map.of("v", "1", "type", "garbage"));
        bus.publish(new StopStream("s2", "b", "x"));
        List<ReceivedCommand> read = bus.read(ConsumerGroups.MUXER, "m1", 10, Duration.ofMillis(100));
        assertEquals(1, read.size());
        assertEquals("s2", read.get(0).command().streamId());
        assertEquals(1, bus.undecodable());
    }

    @Test
    void eventsResumeAfterTheLastSeenEntry() {
        EventBus events = new EventBus(client.dataSource());
        String first = events.publish(BusEvent.of(EventTypes.STREAM_CREATED, "s1", "composition", Map.of()));
        events.publish(BusEvent.of(EventTypes.STREAM_STARTED, "s1", "encoder", Map.of("encoder", "libx264")));
        List<Map.Entry<String, BusEvent>> all = events.readAfter(null, 10);
        assertEquals(2, all.size());
        List<Map.Entry<String, BusEvent>> after = events.readAfter(first, 10);
        assertEquals(1, after.size());
        assertEquals("libx264", after.get(0).getValue().attributes().get("encoder"));
    }

    @Test
    void heartbeatsExpireUnlessBeaten() throws InterruptedException {
        Heartbeats heartbeats = new Heartbeats(client.dataSource(), "encoder", "i1");
        heartbeats.beat(Duration.ofMillis(150));
        assertTrue(heartbeats.alive("encoder", "i1"));
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (heartbeats.alive("encoder", "i1") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(heartbeats.alive("encoder", "i1"));
    }
}
