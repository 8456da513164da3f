package io.streammanager.gateway.it;

import io.streammanager.bus.testing.ExternalProcess;

import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static io.streammanager.gateway.it.ItSupport.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.streammanager.bus.control.BusEvent;
import io.streammanager.bus.control.EventBus;
import io.streammanager.bus.control.EventTypes;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** WebSocket-FLV on the HTTP-FLV path: an FLV header message, then one FLV tag per binary message, from the same relay. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class WsFlvIntegrationTest extends GatewayIT {

    private String wsUrl(String name) {
        return "ws://127.0.0.1:" + playbackPort() + "/live/" + name + ".flv";
    }

    private ExternalProcess publish(String name, int seconds) throws Exception {
        return startPublisher(name, createKey(name), seconds);
    }

    /** Checks one WebSocket message is exactly one FLV tag (header, data, PreviousTagSize) and returns its type. */
    static int checkOneTag(byte[] message) {
        assertTrue(message.length >= 15, "a tag message has at least 15 bytes, had " + message.length);
        int type = message[0] & 0x1f;
        int dataSize = ((message[1] & 0xff) << 16) | ((message[2] & 0xff) << 8) | (message[3] & 0xff);
        assertEquals(11 + dataSize + 4, message.length, "one whole tag per message (type " + type + ")");
        int n = message.length;
        int previousTagSize = ((message[n - 4] & 0xff) << 24) | ((message[n - 3] & 0xff) << 16)
                | ((message[n - 2] & 0xff) << 8) | (message[n - 1] & 0xff);
        assertEquals(11 + dataSize, previousTagSize);
        assertTrue(type == 8 || type == 9 || type == 18, "tag type " + type);
        return type;
    }

    @Test
    void aWebSocketPlayerGetsTheFlvHeaderThenOneTagPerMessageThatFfmpegDecodes() throws Exception {
        try (ExternalProcess publisher = publish("ws-one", 40);
             WsFlvClient player = WsFlvClient.connect(wsUrl("ws-one"), 400)) {
            await("150 messages", Duration.ofSeconds(30), () -> player.count() >= 150);
            List<byte[]> messages = player.messages();
            assertArrayEquals(new byte[] {'F', 'L', 'V', 1, 5, 0, 0, 0, 9, 0, 0, 0, 0}, messages.getFirst(),
                    "the first message is the FLV header with PreviousTagSize0");
            int videoTags = 0;
            boolean firstVideo = true;
            for (byte[] tag : messages.subList(1, messages.size())) {
                if (checkOneTag(tag) == 9) {
                    if (firstVideo) {
                        assertEquals(0x17, tag[11] & 0xff, "video starts at a keyframe (AVC)");
                        assertEquals(0, tag[12], "with the AVC sequence header first");
                        firstVideo = false;
                    }
                    videoTags++;
                }
            }
            assertTrue(videoTags >= 60, "video tags: " + videoTags);
            Path recording = dir.resolve("ws-one.flv");
            try (OutputStream out = Files.newOutputStream(recording)) {
                for (byte[] message : messages) {
                    out.write(message);
                }
            }
            try (ExternalProcess decode = ExternalProcess.start("decode-ws-one", dir, Clients.decodeFile(recording.toString()))) {
                assertTrue(decode.waitFor(Duration.ofSeconds(30)), decode.tail());
                assertEquals(0, decode.exitCode(), decode.tail());
                assertTrue(Clients.framesDecoded(decode.output()) >= 59, decode.tail());
            }
            assertTrue(publisher.alive(), publisher.tail());
        }
    }

    @Test
    void aWebSocketPlayerIsListedKickedAndReportedLikeAnyOther() throws Exception {
        String lastEvent = lastEventId();
        try (ExternalProcess publisher = publish("ws-two", 40);
             WsFlvClient player = WsFlvClient.connect(wsUrl("ws-two"), 10)) {
            await("the WebSocket player listed", Duration.ofSeconds(10), () -> connections.sessions().stream()
                    .anyMatch(s -> "ws-two".equals(s.stream()) && "ws-flv-player".equals(s.role())));
            String id = connections.sessions().stream().filter(s -> "ws-flv-player".equals(s.role()))
                    .findFirst().orElseThrow().id();
            asAdmin().get("/api/v1/sessions/" + id).then().statusCode(200).body("role", equalTo("ws-flv-player"))
                    .body("stream", equalTo("ws-two"));
            await("media flowing", Duration.ofSeconds(20), () -> player.count() >= 5);
            asAdmin().delete("/api/v1/sessions/" + id).then().statusCode(202);
            assertEquals(1000, player.closed.get(10, java.util.concurrent.TimeUnit.SECONDS), "a normal close frame");
            await("kicked player gone", Duration.ofSeconds(5), () -> connections.session(id).isEmpty());
            await("play.stop reported", Duration.ofSeconds(5), () -> eventsAfter(lastEvent).stream().anyMatch(e ->
                    e.type().equals(EventTypes.PLAY_STOP) && id.equals(e.attributes().get("sessionId"))));
            List<BusEvent> events = eventsAfter(lastEvent);
            assertTrue(events.stream().anyMatch(e -> e.type().equals(EventTypes.PLAY_START)
                    && id.equals(e.attributes().get("sessionId")) && "ws-flv".equals(e.attributes().get("protocol"))
                    && "id-ws-two".equals(e.streamId())), events.toString());
            assertTrue(publisher.alive(), publisher.tail());
        }
    }

    @Test
    void aBadNameIsRefusedBeforeTheUpgradeAndTokensAreOffByDefault() throws Exception {
        var failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> WsFlvClient.connect("ws://127.0.0.1:" + playbackPort() + "/live/bad%20name.flv", 1));
        assertTrue(failure.getCause() instanceof java.net.http.WebSocketHandshakeException, failure.toString());
        assertEquals(400, ((java.net.http.WebSocketHandshakeException) failure.getCause()).getResponse().statusCode());
        asAdmin().contentType(ContentType.JSON).body(Map.of("streamName", "x")).post("/api/v1/play-tokens")
                .then().statusCode(409).body("field", equalTo("gateway.auth.play-token-secret"));
    }

    private String lastEventId() {
        var all = new EventBus(redis).readAfter("0-0", 100_000);
        return all.isEmpty() ? "0-0" : all.getLast().getKey();
    }

    private List<BusEvent> eventsAfter(String id) {
        return new EventBus(redis).readAfter(id, 10_000).stream().map(Map.Entry::getValue).toList();
    }
}
