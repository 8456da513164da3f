package io.streammanager.bus.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP endpoint for nginx-rtmp's {@code on_publish}: it records every publish (stream name, time) and answers
 * with the status it is set to, so a test can count how often a platform stand-in saw a publish, or have it refuse
 * one (403) the way a platform refuses a wrong stream key. Loopback only; closed by the test.
 */
public final class RtmpNotifyEndpoint implements AutoCloseable {

    /** One publish nginx asked about. */
    public record Publish(String name, long atMs, int answered) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final List<Publish> publishes = new ArrayList<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private volatile int status = 200;

    private RtmpNotifyEndpoint(HttpServer server) {
        this.server = server;
    }

    public static RtmpNotifyEndpoint start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        RtmpNotifyEndpoint endpoint = new RtmpNotifyEndpoint(server);
        server.createContext("/", endpoint::handle);
        server.setExecutor(endpoint.executor);
        server.start();
        return endpoint;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        }
        // nginx sends the fields as a form body (POST, its default) or as the query (notify_method get)
        String name = field(body, "name");
        if (name.isEmpty() && exchange.getRequestURI().getRawQuery() != null) {
            name = field(exchange.getRequestURI().getRawQuery(), "name");
        }
        int answer = refused.contains(name) ? 403 : status;
        synchronized (publishes) {
            publishes.add(new Publish(name, System.currentTimeMillis(), answer));
        }
        exchange.sendResponseHeaders(answer, -1);
        exchange.close();
    }

    private static String field(String form, String name) {
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    /** The nginx directive that points at this endpoint, e.g. inside an {@code application} block. */
    public String onPublish() {
        return "on_publish " + url() + ";";
    }

    /** The endpoint's URL, for {@code on_publish}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/publish";
    }

    /** Refuses (403) every publish of {@code name} from now on, whatever {@link #answer} says. */
    public void refuse(String name) {
        refused.add(name);
    }

    /** Stops refusing {@code name}. */
    public void accept(String name) {
        refused.remove(name);
    }

    /** From now on, answer every publish with {@code httpStatus} (2xx allows, anything else refuses). */
    public void answer(int httpStatus) {
        status = httpStatus;
    }

    public List<Publish> publishes() {
        synchronized (publishes) {
            return List.copyOf(publishes);
        }
    }

    public long publishesOf(String name) {
        return publishes().stream().filter(p -> p.name().equals(name)).count();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
