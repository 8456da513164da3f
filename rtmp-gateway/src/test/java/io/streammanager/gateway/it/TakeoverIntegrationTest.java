package io.streammanager.gateway.it;

import io.streammanager.bus.testing.ExternalProcess;

import static io.streammanager.gateway.it.ItSupport.await;
import static io.streammanager.gateway.it.ItSupport.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.streammanager.bus.control.BusEvent;
import io.streammanager.bus.control.EventBus;
import io.streammanager.bus.control.EventTypes;
import io.streammanager.gateway.relay.LiveStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** gateway.publish.conflict-policy=takeover: an authenticated newcomer replaces the publisher; players continue. */
@QuarkusTest
@TestProfile(TakeoverIntegrationTest.Takeover.class)
@WithTestResource(RedisTestResource.class)
class TakeoverIntegrationTest extends GatewayIT {

    public static class Takeover implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.publish.conflict-policy", "takeover");
        }
    }

    private long publishers(String name) {
        return connections.sessions().stream().filter(s -> name.equals(s.stream()) && "publisher".equals(s.role())).count();
    }

    @Test
    void aNewPublisherTakesTheStreamOverAndPlayersContinueOnItsKeyframes() throws Exception {
        String key = createKey("handover");
        double takenOver = metric("rtmp_publish_conflicts_total{outcome=\"taken_over\"}");
        try (ExternalProcess first = ExternalProcess.start("publish-first", dir, Clients.publish(url("handover") + "?key=" + key, 60));
             ExternalProcess player = ExternalProcess.start("play-ffmpeg", dir, Clients.play(url("handover"), 240));
             ScriptedRtmpClient watcher = ScriptedRtmpClient.open(server.actualPort()).connect(server.actualPort())) {
            await("a publisher", Duration.ofSeconds(20), () -> streams.find("handover").map(LiveStream::hasPublisher).orElse(false));
            int streamId = watcher.createStream();
            assertEquals("NetStream.Play.Start", watcher.play(streamId, "handover").code());
            await("the ffmpeg player decoding", Duration.ofSeconds(20), () -> Clients.framesDecoded(player.output()) >= 30);
            String firstSession = connections.sessions().stream()
                    .filter(s -> "handover".equals(s.stream()) && "publisher".equals(s.role())).findFirst().orElseThrow().id();

            // an unauthenticated newcomer takes nothing over
            try (ScriptedRtmpClient intruder = ScriptedRtmpClient.open(server.actualPort()).connect(server.actualPort())) {
                var refused = intruder.publish(intruder.createStream(), "handover?key=not-a-key");
                assertEquals("NetStream.Publish.BadAuth", refused.code());
            }
            assertTrue(first.alive(), first.tail());

            try (ExternalProcess second = ExternalProcess.start("publish-second", dir,
                    Clients.publish(url("handover") + "?key=" + key, 60))) {
                assertTrue(first.waitFor(Duration.ofSeconds(20)), first.tail());
                assertNotEquals(0, first.exitCode(), first.tail());
                assertTrue(first.output().contains("was taken over by another publisher"), first.tail());
                await("one publisher, the new one", Duration.ofSeconds(10), () -> publishers("handover") == 1
                        && connections.session(firstSession).isEmpty());
                int videoAtTakeover = watcher.videoMessages();
                await("video from the new publisher", Duration.ofSeconds(20), () -> watcher.videoMessages() >= videoAtTakeover + 60);
                assertTrue(player.waitFor(Duration.ofSeconds(40)), player.tail());
                assertEquals(0, player.exitCode(), player.tail());
                assertTrue(Clients.framesDecoded(player.output()) >= 240, player.tail());
                assertEquals(takenOver + 1, metric("rtmp_publish_conflicts_total{outcome=\"taken_over\"}"), 0.0);
                assertTrue(second.alive(), second.tail());
            }
            List<BusEvent> events = new EventBus(redis).readAfter("0-0", 1000).stream().map(Map.Entry::getValue)
                    .filter(e -> "id-handover".equals(e.streamId())).toList();
            assertTrue(events.stream().anyMatch(e -> e.type().equals(EventTypes.PUBLISH_STOP)
                    && "taken over".equals(e.attributes().get("reason")) && firstSession.equals(e.attributes().get("sessionId"))),
                    events.toString());
            assertTrue(events.stream().anyMatch(e -> e.type().equals(EventTypes.PUBLISH_START)
                    && firstSession.equals(e.attributes().get("tookOverFrom"))), events.toString());
        }
    }
}
