package io.streammanager.gateway.it;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket-FLV player from the JDK's client: collects whole binary messages (a message may arrive in parts) up to a
 * bound, and remembers how the socket closed. The browser test plays the same URLs with mpegts.js.
 */
final class WsFlvClient implements WebSocket.Listener, AutoCloseable {

    private final int maxMessages;
    private final List<byte[]> messages = new ArrayList<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket socket;

    private WsFlvClient(int maxMessages) {
        this.maxMessages = maxMessages;
    }

    /** Connects; throws the handshake failure (e.g. a 403) as the cause of an ExecutionException. */
    static WsFlvClient connect(String url, int maxMessages) throws ExecutionException, InterruptedException,
            java.util.concurrent.TimeoutException {
        WsFlvClient client = new WsFlvClient(maxMessages);
        client.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(url), client).get(15, TimeUnit.SECONDS);
        return client;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        synchronized (this) {
            partial.writeBytes(bytes);
            if (last) {
                if (messages.size() < maxMessages) {
                    messages.add(partial.toByteArray());
                }
                partial.reset();
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    synchronized List<byte[]> messages() {
        return List.copyOf(messages);
    }

    synchronized int count() {
        return messages.size();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.abort();
        }
    }
}
