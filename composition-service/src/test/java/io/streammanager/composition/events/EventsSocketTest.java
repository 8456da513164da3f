package io.streammanager.composition.events;

import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.streammanager.bus.testing.TestApiTokens;
import io.streammanager.composition.testing.RedisAndShmResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisAndShmResource.class)
class EventsSocketTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/api/v1/events")
    URI events;

    @AfterEach
    void deleteAllStreams() {
        java.util.List<String> ids = asAdmin().when().get("/api/v1/streams").then().statusCode(200).extract().path("id");
        ids.forEach(id -> asAdmin().when().delete("/api/v1/streams/" + id).then().statusCode(204));
    }

    @Test
    void theFeedSendsLifecycleEventsAndResumesAfterAGivenEntry() throws Exception {
        String id = asAdmin().contentType(ContentType.JSON)
                .body("{\"name\":\"watched\",\"video\":{\"width\":160,\"height\":120,\"fps\":10}}")
                .when().post("/api/v1/streams").then().statusCode(201).extract().path("id");

        JsonNode created;
        try (Feed feed = Feed.open(events, "after=0-0")) {
            created = feed.next(e -> e.path("streamId").asText().equals(id));
        }
        assertEquals("stream.created", created.path("type").asText());
        assertEquals("composition", created.path("service").asText());
        assertEquals("watched", created.path("attributes").path("name").asText());
        assertTrue(created.path("timeMs").asLong() > 0);
        String createdEntry = created.path("id").asText();

        try (Feed feed = Feed.open(events, "after=" + createdEntry)) {
            asAdmin().when().delete("/api/v1/streams/" + id).then().statusCode(204);
            // the control loop's stream.updated (the composition applied the create's StartStream) may come between
            JsonNode next = feed.next(e -> e.path("streamId").asText().equals(id)
                    && !e.path("type").asText().equals("stream.updated"));
            assertEquals("stream.stopped", next.path("type").asText(), "the created event is not sent again");
            assertEquals("deleted", next.path("attributes").path("reason").asText());
        }
    }

    @Test
    void withoutAfterOnlyNewEventsAreSent() throws Exception {
        asAdmin().contentType(ContentType.JSON)
                .body("{\"name\":\"before\",\"video\":{\"width\":160,\"height\":120,\"fps\":10}}")
                .when().post("/api/v1/streams").then().statusCode(201);
        try (Feed feed = Feed.open(events, null)) {
            Thread.sleep(1000); // the server resolves "now" in @OnOpen, which may run after the client saw the handshake
            String id = asAdmin().contentType(ContentType.JSON)
                    .body("{\"name\":\"after\",\"video\":{\"width\":160,\"height\":120,\"fps\":10}}")
                    .when().post("/api/v1/streams").then().statusCode(201).extract().path("id");
            // lifecycle events only: the control loop's stream.updated for "before" is new too, and may come late
            JsonNode first = feed.next(e -> !e.path("type").asText().equals("stream.updated"));
            assertEquals(id, first.path("streamId").asText());
            assertFalse(first.path("attributes").path("name").asText().equals("before"));
        }
    }

    /** A JDK WebSocket client collecting text messages as JSON. */
    static final class Feed implements AutoCloseable, WebSocket.Listener {

        private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static Feed open(URI http, String query) throws Exception {
            Feed feed = new Feed();
            URI ws = URI.create(http.toString().replaceFirst("^http", "ws") + (query == null ? "" : "?" + query));
            feed.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .header(TestApiTokens.AUTHORIZATION, TestApiTokens.adminBearer()).buildAsync(ws, feed).get(5, TimeUnit.SECONDS);
            return feed;
        }

        JsonNode next(java.util.function.Predicate<JsonNode> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode message = messages.poll(100, TimeUnit.MILLISECONDS);
                if (message != null && wanted.test(message)) {
                    return message;
                }
            }
            throw new AssertionError("no matching event within 5 s");
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            assertNotNull(socket);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }
}
