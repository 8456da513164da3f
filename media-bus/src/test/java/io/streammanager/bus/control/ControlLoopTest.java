package io.streammanager.bus.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.quarkus.redis.datasource.RedisDataSource;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.VideoSpec;
import io.streammanager.bus.testing.RedisTestServer;
import io.streammanager.bus.testing.TestRedisClient;

/** The shared control loop against a real Redis, with a hand-written handler standing in for a service. */
@Timeout(60)
class ControlLoopTest {

    private static final String SERVICE = ConsumerGroups.MUXER;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static RedisTestServer server;
    private static TestRedisClient client;

    private final List<ControlLoop> loops = new ArrayList<>();

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

    @AfterEach
    void stopLoops() {
        loops.forEach(ControlLoop::stop);
    }

    @Test
    void aFailingCommandIsTriedTheConfiguredTimesThenReportedAndAcknowledged() throws Exception {
        RecordingHandler handler = new RecordingHandler(command -> {
            if (command instanceof UpdateStream) {
                throw new IllegalStateException("cannot apply outputs");
            }
            return List.of();
        }, stored -> { });
        ControlLoop loop = started(TestControlConfig.of(SERVICE, "m1").withAttempts(3), handler);
        awaitReady(loop);

        bus().publish(new UpdateStream(spec("s1", 2), List.of("outputs")));

        assertTrue(Poll.until(WAIT, () -> event(EventTypes.COMMAND_FAILED, "s1").isPresent()), "command.failed");
        assertEquals(3, handler.handledCount("s1"), "tried exactly control.command.attempts times");
        BusEvent failed = event(EventTypes.COMMAND_FAILED, "s1").orElseThrow();
        assertEquals("stream.update", failed.attributes().get("command"));
        assertEquals("3", failed.attributes().get("attempts"));
        assertEquals("cannot apply outputs", failed.attributes().get("error"));
        assertEquals(SERVICE, failed.service());
        BusEvent updateFailed = event(EventTypes.STREAM_UPDATE_FAILED, "s1").orElseThrow();
        assertEquals("2", updateFailed.attributes().get("version"));
        assertEquals("cannot apply outputs", updateFailed.attributes().get("error"));
        assertEquals("cannot apply outputs", status("s1").get(SERVICE + ".error"));
        assertNull(status("s1").get(SERVICE + ".version"), "a version that failed is not recorded as applied");
        assertTrue(Poll.until(WAIT, () -> pendingCount() == 0), "acknowledged: nothing left in XPENDING");

        bus().publish(new StopStream("s2", "other", "test"));
        assertTrue(Poll.until(WAIT, () -> handler.handledCount("s2") == 1), "the loop moved on to the next command");
        assertEquals(3, handler.handledCount("s1"), "the failed command did not come back");
    }

    @Test
    void aSuccessfulUpdateRecordsTheAppliedVersionClearsTheErrorAndPublishesStreamUpdated() throws Exception {
        RecordingHandler handler = RecordingHandler.answering(List.of("outputs", "encoder"));
        ControlLoop loop = started(TestControlConfig.of(SERVICE, "m1"), handler);
        awaitReady(loop);
        redis().hash(String.class).hset(RedisKeys.streamStatus("s1"), SERVICE + ".error", "an older failure");

        bus().publish(new UpdateStream(spec("s1", 3), List.of("outputs")));

        assertTrue(Poll.until(WAIT, () -> event(EventTypes.STREAM_UPDATED, "s1").isPresent()), "stream.updated");
        BusEvent updated = event(EventTypes.STREAM_UPDATED, "s1").orElseThrow();
        assertEquals(Map.of("version", "3", "changed", "outputs,encoder", "service", SERVICE), updated.attributes());
        assertEquals(SERVICE, updated.service());
        Map<String, String> status = status("s1");
        assertEquals("3", status.get(SERVICE + ".version"));
        assertNull(status.get(SERVICE + ".error"), "the error of an earlier version is cleared");
        assertTrue(Long.parseLong(status.get(SERVICE + ".timeMs")) > 0);
        assertTrue(Poll.until(WAIT, () -> pendingCount() == 0));
    }

    @Test
    void aStartOlderThanTheAppliedVersionIsSkippedAndAStopClearsTheServicesStatus() throws Exception {
        RecordingHandler handler = RecordingHandler.answering(List.of());
        ControlLoop loop = started(TestControlConfig.of(SERVICE, "m1"), handler);
        awaitReady(loop);
        bus().publish(new UpdateStream(spec("s1", 5), List.of("scene")));
        assertTrue(Poll.until(WAIT, () -> "5".equals(status("s1").get(SERVICE + ".version"))));

        bus().publish(new StartStream(spec("s1", 4))); // a late redelivery of an older spec
        bus().publish(new StopStream("s1", "s1-name", "deleted"));

        assertTrue(Poll.until(WAIT, () -> handler.handled.stream().anyMatch(StopStream.class::isInstance)));
        assertEquals(List.of("handle stream.update s1", "handle stream.stop s1"), handler.calls.subList(1, 3),
                "the older start never reached the handler");
        assertTrue(Poll.until(WAIT, () -> status("s1").isEmpty()), "this service's fields are gone with the stream");
    }

    @Test
    void resumeReceivesTheStoredStreamsBeforeAnyCommand() throws Exception {
        store(new StreamSpec("newer", "newer", new VideoSpec(320, 240, 30), null, null, List.of(), "k", 2_000, 1));
        store(new StreamSpec("older", "older", new VideoSpec(320, 240, 30), null, null, List.of(), "k", 1_000, 1));
        redis().value(String.class).set(RedisKeys.stream("broken"), "{not json");
        redis().set(String.class).sadd(RedisKeys.STREAM_IDS, "broken", "deleted-meanwhile");
        // a command published while the service resumes (the group exists by then) must wait for the resume
        RecordingHandler handler = new RecordingHandler(command -> List.of(),
                stored -> bus().publish(new StopStream("older", "older", "during resume")));

        ControlLoop loop = started(TestControlConfig.of(SERVICE, "m1"), handler);

        assertTrue(Poll.until(WAIT, () -> handler.handledCount("older") == 1), "the command arrived: " + handler.calls);
        assertEquals(List.of("resume [older, newer]", "handle stream.stop older"), handler.calls,
                "stored specs (unreadable and vanished ones left out, oldest first), then the command");
        assertTrue(loop.ready());
    }

    @Test
    void aResumedStreamCountsAsAppliedAtItsStoredVersion() throws Exception {
        // as after a crash in the middle of an update: the stored spec is already version 3
        store(new StreamSpec("s3", "s3", new VideoSpec(320, 240, 30), null, null, List.of(), "k", 1_000, 3));
        redis().hash(String.class).hset(RedisKeys.streamStatus("s3"), SERVICE + ".version", "2");
        started(TestControlConfig.of(SERVICE, "m1"), RecordingHandler.answering(List.of()));
        assertTrue(Poll.until(WAIT, () -> "3".equals(status("s3").get(SERVICE + ".version"))),
                "the resumed version is recorded: " + status("s3"));
    }

    @Test
    void theHeartbeatKeyIsNamedByServiceAndInstanceAndExpiresWithTheTtl() throws Exception {
        TestControlConfig config = TestControlConfig.of(SERVICE, "muxer-pod-7");
        ControlLoop loop = started(config, RecordingHandler.answering(List.of()));
        String key = RedisKeys.heartbeat(SERVICE, "muxer-pod-7");

        assertTrue(Poll.until(WAIT, () -> redis().key().exists(key)), key);
        long ttlMs = redis().key().pttl(key);
        assertTrue(ttlMs > 0 && ttlMs <= config.heartbeatTtl().toMillis(), "PTTL " + ttlMs);
        assertEquals("muxer-pod-7", loop.identity().instanceId());

        loop.stop();
        assertTrue(Poll.until(config.heartbeatTtl().plusSeconds(3), () -> !redis().key().exists(key)),
                "a stopped instance's heartbeat expires");
    }

    @Test
    void readinessTurnsFalseWhileRedisIsAwayAndTrueWhenItIsBack() throws Exception {
        RedisTestServer own = RedisTestServer.start();
        int port = own.port();
        try (TestRedisClient ownClient = new TestRedisClient(own)) {
            RecordingHandler handler = RecordingHandler.answering(List.of());
            ControlLoop loop = new ControlLoop(ownClient.dataSource(), TestControlConfig.of(SERVICE, "m1"), handler);
            loops.add(loop);
            loop.start();
            awaitReady(loop);

            own.close();
            assertTrue(Poll.until(WAIT, () -> !loop.ready()), "not ready while Redis is gone");
            assertTrue(loop.live(), "the loop itself keeps going round");

            own = RedisTestServer.startOn(port); // empty, as a Redis restarted without persistence
            assertTrue(Poll.until(Duration.ofSeconds(20), loop::ready), "ready again once Redis is back");
            new CommandBus(ownClient.dataSource()).publish(new StopStream("s1", "s1", "after the outage"));
            assertTrue(Poll.until(WAIT, () -> handler.handledCount("s1") == 1),
                    "the loop joined its group again in the new Redis");
        } finally {
            own.close();
        }
    }

    @Test
    void aCommandLeftPendingByADeadConsumerIsTakenOverByAnother() throws Exception {
        CommandBus bus = bus();
        bus.ensureGroup(SERVICE);
        bus.publish(new StopStream("orphan", "orphan", "test"));
        assertEquals(1, bus.read(SERVICE, "dead-instance", 10, Duration.ofMillis(100)).size(), "taken, never acked");

        RecordingHandler handler = RecordingHandler.answering(List.of());
        started(TestControlConfig.of(SERVICE, "live-instance").withClaimAfter(Duration.ofMillis(300)), handler);

        assertTrue(Poll.until(WAIT, () -> handler.handledCount("orphan") == 1), "claimed by the live instance");
        assertTrue(Poll.until(WAIT, () -> pendingCount() == 0), "and acknowledged");
    }

    @Test
    void stopEndsTheLoopWithinOneBlockAndLivenessFollows() throws Exception {
        TestControlConfig config = TestControlConfig.of(SERVICE, "m1").withBlock(Duration.ofSeconds(1));
        ControlLoop loop = started(config, RecordingHandler.answering(List.of()));
        awaitReady(loop);
        assertTrue(loop.live());

        long startNs = System.nanoTime();
        loop.stop();
        long stopMs = (System.nanoTime() - startNs) / 1_000_000;

        assertTrue(stopMs < 2_000, "stopped in " + stopMs + " ms");
        assertFalse(loop.live());
        assertFalse(loop.ready(), "a stopped loop takes no commands");
    }

    @Test
    void aDisabledLoopTakesNoCommandsWritesNoHeartbeatAndDoesNotHoldReadinessBack() throws Exception {
        RecordingHandler handler = RecordingHandler.answering(List.of());
        ControlLoop loop = started(TestControlConfig.of(SERVICE, "m1").disabled(), handler);
        bus().ensureGroup(SERVICE);
        bus().publish(new StopStream("s1", "s1", "test"));

        assertFalse(Poll.until(Duration.ofMillis(600), () -> !handler.calls.isEmpty()), "no resume, no command");
        assertFalse(redis().key().exists(RedisKeys.heartbeat(SERVICE, "m1")));
        assertTrue(loop.ready());
        assertTrue(loop.live());
    }

    @Test
    void aStartWithoutAStreamIdStillEndsInAReportAndAnAck() throws Exception {
        RecordingHandler handler = new RecordingHandler(command -> {
            throw new IllegalArgumentException("StartStream without a stream id");
        }, stored -> { });
        ControlLoop loop = started(TestControlConfig.of(SERVICE, "m1").withAttempts(2), handler);
        awaitReady(loop);

        bus().publish(new StartStream(new StreamSpec(null, "nameless", new VideoSpec(320, 240, 30), null, null,
                List.of(), "k", 1, 1)));

        assertTrue(Poll.until(WAIT, () -> event(EventTypes.COMMAND_FAILED, "").isPresent()), "command.failed");
        assertTrue(Poll.until(WAIT, () -> pendingCount() == 0), "acknowledged, not redelivered forever");
        assertEquals(2, handler.handled.size());
    }

    @Test
    void theDefaultInstanceIdIsHostAndPid() {
        InstanceIdentity identity = InstanceIdentity.of(new TestControlConfig(SERVICE, Optional.empty(), true, 1,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(2), 1, Duration.ofMillis(1), Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertTrue(identity.instanceId().endsWith("-" + ProcessHandle.current().pid()), identity.instanceId());
    }

    private ControlLoop started(TestControlConfig config, CommandHandler handler) {
        ControlLoop loop = new ControlLoop(redis(), config, handler);
        loops.add(loop);
        loop.start();
        return loop;
    }

    private static void awaitReady(ControlLoop loop) throws InterruptedException {
        assertTrue(Poll.until(WAIT, loop::ready), "loop ready");
    }

    private static RedisDataSource redis() {
        return client.dataSource();
    }

    private static CommandBus bus() {
        return new CommandBus(redis());
    }

    private static void store(StreamSpec spec) {
        redis().value(String.class).set(RedisKeys.stream(spec.id()), StreamSpecJson.write(spec));
        redis().set(String.class).sadd(RedisKeys.STREAM_IDS, spec.id());
    }

    private static StreamSpec spec(String id, long version) {
        return new StreamSpec(id, id + "-name", new VideoSpec(320, 240, 30), null, null, List.of(), "secret", 1, version);
    }

    private static Map<String, String> status(String streamId) {
        return redis().hash(String.class).hgetall(RedisKeys.streamStatus(streamId));
    }

    private static long pendingCount() {
        return redis().stream(String.class).xpending(RedisKeys.COMMANDS, SERVICE).getPendingCount();
    }

    private static Optional<BusEvent> event(String type, String streamId) {
        return new EventBus(redis()).readAfter(null, 1000).stream().map(Map.Entry::getValue)
                .filter(e -> e.type().equals(type) && e.streamId().equals(streamId)).findFirst();
    }
}
