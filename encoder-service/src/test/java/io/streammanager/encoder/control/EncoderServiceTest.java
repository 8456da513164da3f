package io.streammanager.encoder.control;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streammanager.bus.control.BusEvent;
import io.streammanager.bus.control.CommandBus;
import io.streammanager.bus.control.EventBus;
import io.streammanager.bus.control.EventTypes;
import io.streammanager.bus.control.Heartbeats;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.bus.control.StartStream;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.control.UpdateStream;
import io.streammanager.bus.control.StopStream;
import io.streammanager.bus.shm.FrameGeometry;
import io.streammanager.bus.shm.FrameRingWriter;
import io.streammanager.bus.shm.PixelFormat;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.encoder.codec.H264TestDecoder;
import io.streammanager.encoder.codec.TestPatterns;
import io.streammanager.encoder.config.EncoderConfig;
import io.streammanager.encoder.testing.PacketCollector;
import io.streammanager.encoder.testing.PacketDecoding;
import io.streammanager.encoder.testing.RedisAndShmResource;

/** The whole service: commands from Redis, a test composition writing frames, H.264 read back from shm. */
@QuarkusTest
@QuarkusTestResource(RedisAndShmResource.class)
@Timeout(90)
class EncoderServiceTest {

    private static final String STREAM = "live-stream";
    private final FrameGeometry qvga = new FrameGeometry(320, 240, PixelFormat.I420, 30);

    @Inject
    RedisDataSource redis;

    @Inject
    EncoderConfig config;

    @Test
    void startStreamEncodesTheFrameRingAndStopStreamRemovesThePacketRingWithinASecond() throws Exception {
        Path shm = config.shmDir();
        Path packetRing = RingFiles.packetRing(shm, STREAM);
        CommandBus commands = new CommandBus(redis);
        AtomicBoolean producing = new AtomicBoolean(true);
        try (FrameRingWriter composition = FrameRingWriter.create(RingFiles.frameRing(shm, STREAM), qvga, 8)) {
            Thread producer = Thread.ofPlatform().name("test-composition").start(() -> produce(composition, producing));
            commands.publish(new StartStream(RedisAndShmResource.spec(STREAM, 1)));
            commands.publish(new StartStream(RedisAndShmResource.spec(STREAM, 1))); // a duplicate is ignored

            try (PacketCollector packets = PacketCollector.open(packetRing, Duration.ofSeconds(10))) {
                assertTrue(packets.awaitRecords(r -> PacketCollector.videoPackets(r) >= 40, Duration.ofSeconds(20)),
                        "40 packets encoded");
                List<PacketCollector.Record> records = packets.records();
                assertTrue(records.getFirst().codecConfig());
                List<H264TestDecoder.Picture> pictures = PacketDecoding.decode(records);
                assertEquals(PacketCollector.videoPackets(records), pictures.size(), "all packets decode");
                assertEquals(320, pictures.getFirst().width());
                assertEquals(240, pictures.getFirst().height());
            }

            given().when().get("/q/health/live").then().statusCode(200)
                    .body(containsString(STREAM), containsString("libx264"));
            given().when().get("/q/health/ready").then().statusCode(200)
                    .body(containsString("control-loop"), containsString("encoder-test"));
            awaitMetric("encoder_fps{rendition=\"0\",stream=\"" + STREAM + "\"}");
            given().when().get("/q/metrics").then().statusCode(200)
                    .body(containsString("encoder_info{codec=\"h264\",encoder=\"libx264\",rendition=\"0\",rendition_id=\"main\""),
                            containsString("encoder_bitrate{rendition=\"0\",stream=\"" + STREAM),
                        containsString("encoder_queue_size{rendition=\"0\",stream=\"" + STREAM),
                            containsString("encoder_dropped_frames_total"),
                            containsString("encoder_encode_time_seconds_count"));

            // the service's thumbnails: one from the first frame on, in Redis, and counted
            io.streammanager.bus.testing.Poll.await(Duration.ofSeconds(10), "a thumbnail in Redis",
                    () -> !redis.sortedSet(String.class).zrange(RedisKeys.thumbnails(STREAM), 0, -1).isEmpty(),
                    () -> redis.key().keys(RedisKeys.PREFIX + "thumbnail*"));
            given().when().get("/q/metrics").then().statusCode(200)
                    .body(containsString("encoder_thumbnails_total"),
                            containsString("encoder_thumbnail_time_seconds_count{step=\"jpeg\"}"));

            // a new spec version with a new bitrate is taken by the running worker in place: no restart
            StreamSpec v1 = RedisAndShmResource.spec(STREAM, 1);
            StreamSpec v2 = new StreamSpec(v1.id(), v1.name(), v1.video(), null,
                    new EncoderSpec("h264", "veryfast", "zerolatency", 900, 1), List.of(), v1.gatewayKey(),
                    v1.createdAtMs(), 2);
            long updatedUs = System.currentTimeMillis() * 1000;
            commands.publish(new UpdateStream(v2, List.of("encoder")));
            List<BusEvent> applied = awaitEvents(STREAM, events -> events.stream().anyMatch(e ->
                    e.type().equals(EventTypes.STREAM_UPDATED) && "2".equals(e.attributes().get("version"))));
            assertTrue(applied.stream().anyMatch(e -> e.type().equals(EventTypes.STREAM_UPDATED)
                    && "2".equals(e.attributes().get("version")) && "encoder".equals(e.attributes().get("changed"))),
                    applied.toString());
            assertEquals("2", redis.hash(String.class).hget(RedisKeys.streamStatus(STREAM), "encoder.version"),
                    "the control loop records the version the encoder applied");
            try (PacketCollector packets = PacketCollector.open(packetRing, Duration.ofSeconds(5))) {
                assertTrue(packets.awaitRecords(r -> r.stream().filter(p -> p.captureEpochUs() > updatedUs)
                        .count() >= 10, Duration.ofSeconds(20)), "the worker goes on encoding");
            }

            long stopSentNs = System.nanoTime();
            commands.publish(new StopStream(STREAM, STREAM + "-name", "operator"));
            while (Files.exists(packetRing) && System.nanoTime() - stopSentNs < 3_000_000_000L) {
                Thread.sleep(5);
            }
            long stopMs = (System.nanoTime() - stopSentNs) / 1_000_000;
            assertFalse(Files.exists(packetRing), "packet ring deleted");
            assertTrue(stopMs < 1_000, "packet ring gone " + stopMs + " ms after StopStream");
            io.streammanager.bus.testing.Poll.await(Duration.ofSeconds(5), "the stopped stream's thumbnails deleted",
                    () -> redis.key().keys(RedisKeys.PREFIX + "thumbnail*" + STREAM + "*").isEmpty(),
                    () -> redis.key().keys(RedisKeys.PREFIX + "thumbnail*"));

            producing.set(false);
            producer.join(2_000);
            composition.closeAndDelete();
        }
        RingFiles.deleteStreamDirIfEmpty(shm, STREAM);

        List<BusEvent> events = awaitEvents(STREAM, all -> all.stream().anyMatch(
                e -> e.type().equals(EventTypes.STREAM_STOPPED) && "operator".equals(e.attributes().get("reason"))));
        assertTrue(events.stream().anyMatch(e -> e.type().equals(EventTypes.STREAM_STARTED)
                && "encoder".equals(e.service()) && "libx264".equals(e.attributes().get("encoder"))), events.toString());
        assertEquals(1, events.stream().filter(e -> e.type().equals(EventTypes.STREAM_STARTED)).count(),
                "started once: its duplicate was ignored and version 2 was applied in place");
        assertTrue(events.getLast().type().equals(EventTypes.STREAM_STOPPED)
                && "operator".equals(events.getLast().attributes().get("reason")), events.toString());
        given().when().get("/q/metrics").then().body(
                org.hamcrest.Matchers.not(containsString("encoder_fps{rendition=\"0\",stream=\"" + STREAM)));
    }

    @Test
    void theInstanceBeatsItsHeartbeatInRedis() throws InterruptedException {
        Heartbeats heartbeats = new Heartbeats(redis, "encoder", "encoder-test");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!heartbeats.alive("encoder", "encoder-test") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(heartbeats.alive("encoder", "encoder-test"), "sm:heartbeat:encoder:encoder-test present");
    }

    @Test
    void aStreamStoredInRedisBeforeStartupIsResumedAndReportsItsMissingComposition() throws Exception {
        String stored = RedisAndShmResource.STORED_STREAM;
        Path packetRing = RingFiles.packetRing(config.shmDir(), stored);
        assertTrue(awaitFile(packetRing, Duration.ofSeconds(10)), "resumed worker created its packet ring");
        List<BusEvent> events = awaitEvents(stored,
                all -> all.stream().anyMatch(e -> e.type().equals(EventTypes.STREAM_ERROR)));
        assertTrue(events.stream().anyMatch(e -> e.type().equals(EventTypes.STREAM_ERROR)
                && e.attributes().getOrDefault("message", "").contains("no frames")), events.toString());
        given().when().get("/q/health/live").then().statusCode(200).body(containsString(stored));

        new CommandBus(redis).publish(new StopStream(stored, stored + "-name", "test over"));
        assertTrue(awaitGone(packetRing, Duration.ofSeconds(3)), "stopped and cleaned up");
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    private void produce(FrameRingWriter writer, AtomicBoolean producing) {
        int index = 0;
        long startUs = System.currentTimeMillis() * 1000;
        while (producing.get()) {
            MemorySegment slot = writer.claim();
            TestPatterns.fillI420(slot, qvga.width(), qvga.height(), index);
            writer.publish(index * qvga.frameDurationUs(), startUs + index * qvga.frameDurationUs());
            index++;
            try {
                Thread.sleep(qvga.frameDurationUs() / 1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void awaitMetric(String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            String body = given().when().get("/q/metrics").asString();
            if (body.contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        given().when().get("/q/metrics").then().body(containsString(text));
    }

    private List<BusEvent> awaitEvents(String streamId, Predicate<List<BusEvent>> until) throws InterruptedException {
        EventBus events = new EventBus(redis);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<BusEvent> mine = List.of();
        while (System.nanoTime() < deadline) {
            mine = events.readAfter("0-0", 1000).stream().map(Map.Entry::getValue)
                    .filter(e -> streamId.equals(e.streamId())).toList();
            if (until.test(mine)) {
                return mine;
            }
            Thread.sleep(50);
        }
        return mine;
    }

    private static boolean awaitFile(Path file, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return Files.exists(file);
    }

    private static boolean awaitGone(Path file, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return !Files.exists(file);
    }
}
