package io.streammanager.gateway.it;

import io.streammanager.bus.testing.ExternalProcess;

import static io.streammanager.gateway.it.ItSupport.await;
import static io.streammanager.gateway.it.ItSupport.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.streammanager.gateway.relay.LiveStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The default publish policy (reject a second publisher) and the reconnect grace: a publisher that drops and comes
 * back under the same name resumes for the players that stayed (RTMP, HTTP-FLV and WebSocket-FLV alike); after the
 * grace they hear the stream ended.
 */
@QuarkusTest
@TestProfile(PublishPolicyIntegrationTest.ShortGrace.class)
@WithTestResource(RedisTestResource.class)
class PublishPolicyIntegrationTest extends GatewayIT {

    static final Duration GRACE = Duration.ofSeconds(6);

    public static class ShortGrace implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.publish.reconnect-grace", GRACE.toSeconds() + "s");
        }
    }

    private String flvUrl(String scheme, String name) {
        return scheme + "://127.0.0.1:" + playbackPort() + "/live/" + name + ".flv";
    }

    /** FLV tags of type 9 a WebSocket-FLV player got (its first message is the FLV header). */
    private static long videoTags(WsFlvClient client) {
        return client.messages().stream().filter(m -> m.length > 0 && m[0] == 9).count();
    }

    @Test
    void aPublisherThatCrashesAndReconnectsResumesForThePlayersThatStayed() throws Exception {
        String key = createKey("comeback");
        ExternalProcess first = startPublisher("publish-first", "comeback", key, 60);
        try (first;
             ExternalProcess player = ExternalProcess.start("play-ffmpeg", dir, Clients.play(url("comeback"), 300));
             ExternalProcess httpPlayer = ExternalProcess.start("play-http-flv", dir,
                     Clients.play(flvUrl("http", "comeback"), 300));
             WsFlvClient ws = WsFlvClient.connect(flvUrl("ws", "comeback"), 100_000);
             ScriptedRtmpClient watcher = ScriptedRtmpClient.open(server.actualPort()).connect(server.actualPort())) {
            int streamId = watcher.createStream();
            assertEquals("NetStream.Play.Start", watcher.play(streamId, "comeback").code());
            await("the ffmpeg player decoding", Duration.ofSeconds(20), () -> Clients.framesDecoded(player.output()) >= 60);
            await("the scripted player receiving video", Duration.ofSeconds(10), () -> watcher.videoMessages() >= 30);
            await("the HTTP-FLV player decoding", Duration.ofSeconds(20), () -> Clients.framesDecoded(httpPlayer.output()) >= 60);
            await("the WebSocket-FLV player receiving video", Duration.ofSeconds(10), () -> videoTags(ws) >= 30);

            first.kill(); // a crash: no FCUnpublish, the TCP connection just ends
            await("the publisher gone", Duration.ofSeconds(10), () -> !published("comeback"));
            int framesAtDrop = Clients.framesDecoded(player.output());
            int httpFramesAtDrop = Clients.framesDecoded(httpPlayer.output());
            long wsVideoAtDrop = videoTags(ws);
            int videoAtDrop = watcher.videoMessages();
            long timestampAtDrop = watcher.lastVideoTimestamp();

            try (ExternalProcess second = startPublisher("publish-second", "comeback", key, 60)) {
                await("video from the second publisher", Duration.ofSeconds(20), () -> watcher.videoMessages() >= videoAtDrop + 60);
                assertTrue(watcher.lastVideoTimestamp() > timestampAtDrop,
                        "timestamps continue: " + watcher.lastVideoTimestamp() + " after " + timestampAtDrop);
                assertTrue(player.waitFor(Duration.ofSeconds(40)), player.tail());
                assertEquals(0, player.exitCode(), player.tail());
                int frames = Clients.framesDecoded(player.output());
                assertTrue(frames >= 300 && frames > framesAtDrop + 60, "decoded " + frames + ", " + framesAtDrop + " at the drop");
                assertTrue(httpPlayer.waitFor(Duration.ofSeconds(40)), httpPlayer.tail());
                assertEquals(0, httpPlayer.exitCode(), httpPlayer.tail());
                int httpFrames = Clients.framesDecoded(httpPlayer.output());
                assertTrue(httpFrames >= 300 && httpFrames > httpFramesAtDrop + 60,
                        "HTTP-FLV decoded " + httpFrames + ", " + httpFramesAtDrop + " at the drop");
                await("WebSocket-FLV video from the second publisher", Duration.ofSeconds(20),
                        () -> videoTags(ws) >= wsVideoAtDrop + 60);
                assertFalse(ws.closed.isDone(), "the WebSocket stayed open");
                assertFalse(watcher.statusCodes().contains("NetStream.Play.UnpublishNotify"), watcher.statusCodes().toString());
                assertEquals(0, watcher.streamEofs());
                assertFalse(watcher.closedByPeer());
                assertTrue(second.alive(), second.tail());
            }
        }
    }

    @Test
    void afterTheGraceThePlayersHearTheStreamEnded() throws Exception {
        String key = createKey("gone");
        try (ExternalProcess publisher = startPublisher("publish-gone", "gone", key, 60);
             WsFlvClient ws = WsFlvClient.connect(flvUrl("ws", "gone"), 100_000);
             ScriptedRtmpClient watcher = ScriptedRtmpClient.open(server.actualPort()).connect(server.actualPort())) {
            int streamId = watcher.createStream();
            assertEquals("NetStream.Play.Start", watcher.play(streamId, "gone").code());
            await("video", Duration.ofSeconds(10), () -> watcher.videoMessages() >= 10 && videoTags(ws) >= 10);
            publisher.kill();
            await("the publisher gone", Duration.ofSeconds(10), () -> !published("gone"));
            long left = System.nanoTime();
            var notify = watcher.await(m -> "NetStream.Play.UnpublishNotify".equals(m.code()), GRACE.plusSeconds(10));
            long elapsedMs = (System.nanoTime() - left) / 1_000_000;
            assertTrue(elapsedMs >= GRACE.toMillis() - 1500, "told after " + elapsedMs + " ms, grace " + GRACE.toMillis());
            assertTrue(notify.description().contains("gone is no longer published"), notify.description());
            assertEquals(1, watcher.streamEofs());
            int wsClose = ws.closed.get(10, java.util.concurrent.TimeUnit.SECONDS);
            long wsElapsedMs = (System.nanoTime() - left) / 1_000_000;
            assertEquals(1000, wsClose, "the WebSocket-FLV player is closed normally");
            assertTrue(wsElapsedMs >= GRACE.toMillis() - 1500, "closed after " + wsElapsedMs + " ms, grace " + GRACE.toMillis());
            await("the WebSocket-FLV player detached", Duration.ofSeconds(10),
                    () -> streams.find("gone").map(LiveStream::playerCount).orElse(0) == 1);
            assertEquals(1, streams.find("gone").map(LiveStream::playerCount).orElse(0), "the RTMP player stays attached");
        }
    }

    @Test
    void aSecondPublisherIsRefusedByDefaultAndCounted() throws Exception {
        String key = createKey("taken");
        double rejected = metric("rtmp_publish_conflicts_total{outcome=\"rejected\"}");
        try (ExternalProcess publisher = startPublisher("publish-taken", "taken", key, 40);
             ScriptedRtmpClient second = ScriptedRtmpClient.open(server.actualPort()).connect(server.actualPort())) {
            var refused = second.publish(second.createStream(), "taken?key=" + key);
            assertEquals("NetStream.Publish.BadName", refused.code());
            assertTrue(refused.description().contains("is already being published"), refused.description());
            await("the newcomer closed", Duration.ofSeconds(5), second::closedByPeer);
            assertEquals(rejected + 1, metric("rtmp_publish_conflicts_total{outcome=\"rejected\"}"), 0.0);
            try (ExternalProcess player = ExternalProcess.start("play-taken", dir, Clients.play(url("taken"), 30))) {
                assertTrue(player.waitFor(Duration.ofSeconds(30)), player.tail());
                assertEquals(0, player.exitCode(), player.tail());
            }
            assertTrue(publisher.alive(), publisher.tail());
        }
    }
}
