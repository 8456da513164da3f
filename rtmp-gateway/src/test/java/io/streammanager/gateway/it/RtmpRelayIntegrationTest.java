package io.streammanager.gateway.it;

import io.streammanager.bus.testing.ExternalProcess;

import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static io.streammanager.gateway.it.ItSupport.metric;
import static io.streammanager.gateway.it.ItSupport.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streammanager.bus.control.BusEvent;
import io.streammanager.bus.control.CommandBus;
import io.streammanager.bus.control.ControlLoop;
import io.streammanager.bus.control.EventBus;
import io.streammanager.bus.control.EventTypes;
import io.streammanager.bus.control.Heartbeats;
import io.streammanager.bus.control.StopStream;
import io.streammanager.gateway.relay.LiveStream;
import io.streammanager.gateway.server.SessionInfo;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway against real clients on loopback: FFmpeg publishing and playing, rtmpdump playing, a real Redis. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class RtmpRelayIntegrationTest extends GatewayIT {

    @Inject
    ControlLoop controlLoop;

    private String publishUrl(String name, String key) {
        return url(name) + "?key=" + key;
    }

    @Test
    void ffmpegAndRtmpdumpBothDecodeAStreamPublishedWithAValidKey() throws Exception {
        String key = createKey("first");
        try (ExternalProcess publisher = startPublisher("first", key, 40);
             ExternalProcess player = ExternalProcess.start("play-first", dir, Clients.play(url("first"), 60));
             ExternalProcess dump = ExternalProcess.start("rtmpdump-first", dir,
                     Clients.rtmpdump(url("first"), 4, dir.resolve("first.flv").toString()))) {
            assertTrue(player.waitFor(Duration.ofSeconds(40)), player.tail());
            assertEquals(0, player.exitCode(), player.tail());
            assertTrue(Clients.framesDecoded(player.output()) >= 60, player.tail());

            // rtmpdump's -B is not honoured on every live stream; past it, stop it (SIGTERM: it closes the file cleanly)
            if (!dump.waitFor(Duration.ofSeconds(7))) {
                dump.close();
            }
            assertTrue(dump.output().contains("INFO: Metadata:") || dump.output().contains("kB /"), dump.tail());
            assertTrue(Files.size(dir.resolve("first.flv")) > 10_000, dump.tail());
            try (ExternalProcess decode = ExternalProcess.start("decode-first", dir,
                    Clients.decodeFile(dir.resolve("first.flv").toString()))) {
                assertTrue(decode.waitFor(Duration.ofSeconds(30)), decode.tail());
                assertEquals(0, decode.exitCode(), decode.tail());
                assertTrue(Clients.framesDecoded(decode.output()) >= 30, decode.tail());
            }

            List<SessionInfo> sessions = List.of(asAdmin().get("/api/v1/sessions").then().statusCode(200)
                    .extract().as(SessionInfo[].class));
            assertTrue(sessions.stream().anyMatch(s -> "first".equals(s.stream()) && "publisher".equals(s.role())
                    && s.bytesIn() > 0), sessions.toString());
            assertTrue(metric("rtmp_connections_total") >= 3);
            assertTrue(metric("rtmp_bandwidth_bytes_total{direction=\"out\"}") > 0);
            assertEquals(1.0, metric("rtmp_active_streams"), 0.0);
            assertEquals(1.0, metric("rtmp_stream_publishers{stream=\"first\"}"), 0.0);
            assertTrue(metric("rtmp_stream_bytes_in_total{stream=\"first\"}") > 10_000);
            // the test publisher is ffmpeg's testsrc at a few hundred kbit/s: any rate in a sane range will do
            double bitrate = metric("rtmp_stream_bitrate_bps{stream=\"first\"}");
            assertTrue(bitrate > 10_000 && bitrate < 50_000_000, "bitrate " + bitrate);
            assertTrue(publisher.alive(), publisher.tail());
        }
    }

    @Test
    void aWrongKeyIsRefusedWhileTheGoodStreamKeepsPlaying() throws Exception {
        String key = createKey("second");
        String otherStreamsKey = createKey("not-second");
        double authErrors = metric("rtmp_errors_total{category=\"auth\"}");
        try (ExternalProcess publisher = startPublisher("second", key, 40)) {
            try (ExternalProcess wrong = ExternalProcess.start("publish-wrong", dir, Clients.publish(publishUrl("second", "wrong-key"), 10));
                 ExternalProcess misused = ExternalProcess.start("publish-misused", dir, Clients.publish(publishUrl("second", otherStreamsKey), 10))) {
                assertTrue(wrong.waitFor(Duration.ofSeconds(20)), wrong.tail());
                assertNotEquals(0, wrong.exitCode(), wrong.tail());
                assertTrue(wrong.output().contains("Server error: unknown stream key"), wrong.tail());
                assertTrue(misused.waitFor(Duration.ofSeconds(20)), misused.tail());
                assertNotEquals(0, misused.exitCode(), misused.tail());
                assertTrue(misused.output().contains("Server error: stream key is not for this stream name"), misused.tail());
            }
            try (ExternalProcess second = ExternalProcess.start("publish-duplicate", dir, Clients.publish(publishUrl("second", key), 10))) {
                assertTrue(second.waitFor(Duration.ofSeconds(20)), second.tail());
                assertTrue(second.output().contains("is already being published"), second.tail());
            }
            assertEquals(authErrors + 2, metric("rtmp_errors_total{category=\"auth\"}"), 0.0);
            assertTrue(publisher.alive(), publisher.tail());
            try (ExternalProcess player = ExternalProcess.start("play-second", dir, Clients.play(url("second"), 30))) {
                assertTrue(player.waitFor(Duration.ofSeconds(30)), player.tail());
                assertEquals(0, player.exitCode(), player.tail());
            }
            List<BusEvent> events = new EventBus(redis).readAfter("0-0", 1000).stream().map(Map.Entry::getValue).toList();
            List<BusEvent> refusals = events.stream().filter(e -> e.type().equals(EventTypes.AUTH_FAILED)
                    && "second".equals(e.attributes().get("streamName"))).toList();
            assertEquals(2, refusals.size(), events.toString());
            assertFalse(events.toString().contains(otherStreamsKey) || events.toString().contains(key), "no key material in events");
            assertTrue(events.stream().anyMatch(e -> e.type().equals(EventTypes.PUBLISH_START) && e.streamId().equals("id-second")));
        }
    }

    @Test
    void stopStreamClosesThePublisherAndPlayersWithinTwoSeconds() throws Exception {
        String key = createKey("third");
        try (ExternalProcess publisher = startPublisher("third", key, 60);
             ExternalProcess player = ExternalProcess.start("play-third", dir, Clients.play(url("third"), 100_000))) {
            await("a player on third", Duration.ofSeconds(20), () -> streams.find("third").map(LiveStream::playerCount).orElse(0) == 1);
            long start = System.nanoTime();
            new CommandBus(redis).publish(new StopStream("id-third", "third", "integration test"));
            await("no sessions on third", Duration.ofSeconds(2),
                    () -> connections.sessions().stream().noneMatch(s -> "third".equals(s.stream())));
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMs <= 2000, "closed after " + elapsedMs + " ms");
            assertTrue(publisher.waitFor(Duration.ofSeconds(10)), publisher.tail());
            assertTrue(player.waitFor(Duration.ofSeconds(10)), player.tail());
            await("stream forgotten", Duration.ofSeconds(2), () -> streams.find("third").isEmpty());
        }
    }

    @Test
    void aSessionCanBeListedAndKickedThroughTheApi() throws Exception {
        String key = createKey("fourth");
        try (ExternalProcess publisher = startPublisher("fourth", key, 40)) {
            String id = connections.sessions().stream().filter(s -> "fourth".equals(s.stream())).findFirst().orElseThrow().id();
            asAdmin().get("/api/v1/sessions/" + id).then().statusCode(200).body("role", equalTo("publisher"));
            asAdmin().delete("/api/v1/sessions/" + id).then().statusCode(202);
            await("kicked publisher gone", Duration.ofSeconds(5), () -> connections.session(id).isEmpty());
            assertTrue(publisher.waitFor(Duration.ofSeconds(10)), publisher.tail());
            asAdmin().delete("/api/v1/sessions/" + id).then().statusCode(404);
        }
    }

    private String fifthFlv() {
        return "http://127.0.0.1:" + playbackPort() + "/live/fifth.flv";
    }

    @Test
    void httpFlvPlaysTheSameRelay() throws Exception {
        String key = createKey("fifth");
        try (ExternalProcess publisher = startPublisher("fifth", key, 40);
             ExternalProcess player = ExternalProcess.start("flv-fifth", dir, Clients.play(fifthFlv(), 45))) {
            assertTrue(player.waitFor(Duration.ofSeconds(30)), player.tail());
            assertEquals(0, player.exitCode(), player.tail());
            assertTrue(Clients.framesDecoded(player.output()) >= 45, player.tail());
            await("the FLV player detached", Duration.ofSeconds(5),
                    () -> streams.find("fifth").map(LiveStream::playerCount).orElse(0) == 0);
            try (ExternalProcess watcher = ExternalProcess.start("flv-watcher", dir, Clients.play(fifthFlv(), 100_000))) {
                await("the FLV player listed", Duration.ofSeconds(20), () -> connections.sessions().stream()
                        .anyMatch(s -> "fifth".equals(s.stream()) && "http-flv-player".equals(s.role())));
                String id = connections.sessions().stream().filter(s -> "http-flv-player".equals(s.role()))
                        .findFirst().orElseThrow().id();
                asAdmin().delete("/api/v1/sessions/" + id).then().statusCode(202);
                assertTrue(watcher.waitFor(Duration.ofSeconds(10)), watcher.tail());
                await("kicked FLV player gone", Duration.ofSeconds(5), () -> connections.session(id).isEmpty());
            }
            assertTrue(publisher.alive(), publisher.tail());
        }
        player().get("/live/bad%20name.flv").then().statusCode(400);
    }

    @Test
    void aClientSpeakingAnotherProtocolIsClosedAndCountedWithoutDisturbingOthers() throws Exception {
        String key = createKey("sixth");
        double handshakeErrors = metric("rtmp_errors_total{category=\"handshake\"}");
        try (ExternalProcess publisher = startPublisher("sixth", key, 40);
             java.net.Socket garbage = new java.net.Socket("127.0.0.1", server.actualPort())) {
            garbage.setSoTimeout(5000);
            garbage.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(100).getBytes());
            garbage.getOutputStream().flush();
            assertEquals(-1, garbage.getInputStream().read(), "the server closes a non-RTMP connection");
            await("handshake error counted", Duration.ofSeconds(2),
                    () -> metric("rtmp_errors_total{category=\"handshake\"}") == handshakeErrors + 1);
            try (ExternalProcess player = ExternalProcess.start("play-sixth", dir, Clients.play(url("sixth"), 30))) {
                assertTrue(player.waitFor(Duration.ofSeconds(30)), player.tail());
                assertEquals(0, player.exitCode(), player.tail());
            }
        }
    }

    @Test
    void aClientThatNeverFinishesTheHandshakeIsClosedAfterTheTimeout() throws Exception {
        double handshakeErrors = metric("rtmp_errors_total{category=\"handshake\"}");
        try (java.net.Socket silent = new java.net.Socket("127.0.0.1", server.actualPort())) {
            silent.setSoTimeout(6000);
            silent.getOutputStream().write(3); // C0 only, then silence
            long start = System.nanoTime();
            assertEquals(-1, silent.getInputStream().read());
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMs >= 1500 && elapsedMs < 5000, "closed after " + elapsedMs + " ms, timeout is 2 s");
        }
        await("handshake timeout counted", Duration.ofSeconds(2),
                () -> metric("rtmp_errors_total{category=\"handshake\"}") == handshakeErrors + 1);
    }

    @Test
    void readyWhenTheListenerIsBoundAndRedisAnswers() {
        asAdmin().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        asAdmin().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        asAdmin().get("/q/health/ready").then().body(containsString("control-loop"));
        assertTrue(new Heartbeats(redis, "gateway", "test-probe").alive("gateway", controlLoop.identity().instanceId()),
                "this instance's heartbeat is in Redis");
    }
}
