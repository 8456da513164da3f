package io.streammanager.muxer.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * nginx-rtmp's {@code on_publish} endpoint (JDK HttpServer on a free loopback port): counts every publish by stream
 * name, and answers 403 for the names it is told to refuse, 200 otherwise.
 */
public final class PublishGate implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, AtomicInteger> publishes = new ConcurrentHashMap<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    private PublishGate(HttpServer server) {
        this.server = server;
    }

    public static PublishGate start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        PublishGate gate = new PublishGate(server);
        server.createContext("/publish", exchange -> {
            String name = parameter(exchange.getRequestURI().getRawQuery(), "name");
            gate.publishes.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            int status = gate.refused.contains(name) ? 403 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return gate;
    }

    private static String parameter(String query, String name) {
        if (query == null) {
            return "";
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/publish";
    }

    public void refuse(String streamName) {
        refused.add(streamName);
    }

    public void accept(String streamName) {
        refused.remove(streamName);
    }

    /** Publishes nginx asked about for {@code streamName} (accepted or not). */
    public int publishes(String streamName) {
        AtomicInteger count = publishes.get(streamName);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
