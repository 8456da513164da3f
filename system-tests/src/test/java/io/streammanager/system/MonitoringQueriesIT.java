package io.streammanager.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.restassured.http.ContentType;
import io.streammanager.bus.testing.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every Grafana panel query (deploy/grafana) and every Prometheus rule expression (deploy/prometheus) names only
 * series that a live {@code /q/metrics} scrape of the running services has, and groups or filters only by labels
 * those series carry. The stack is {@code deploy/local/run.sh} with its demo stream; the series that appear only
 * when something happens are made to happen for real: a player on the gateway, an output that cannot connect, a
 * client that breaks the RTMP handshake.
 */
class MonitoringQueriesIT {

    /** Series no Stream Manager service exports: Prometheus's own {@code up} and kube-state-metrics. */
    private static final Set<String> EXTERNAL = Set.of("up", "kube_deployment_status_replicas_available", "kube_deployment_spec_replicas");
    /** Labels Prometheus adds at scrape time (pod labels through labelmap, instance), not the services. */
    private static final Set<String> SCRAPE_LABELS = Set.of("instance", "job", "app_kubernetes_io_name", "app_kubernetes_io_part_of", "deployment");
    private static final Duration SERIES_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalStack stack;
    private static FfmpegPlayer player;

    @BeforeAll
    static void stackWithAPlayerAFailingOutputAndABrokenHandshake() throws Exception {
        stack = LocalStack.start();
        player = FfmpegPlayer.play(stack.playUrl("demo"), 1_000_000);
        if (!player.awaitFrames(10, Duration.ofSeconds(30))) {
            throw new AssertionError("no player on the demo: " + player.tail());
        }
        String demo = stack.api().get("/api/v1/streams").then().statusCode(200).extract().path("find { it.name == 'demo' }.id");
        // an output nobody listens on: the muxer's connect fails, retries, and counts its errors
        stack.api().contentType(ContentType.JSON)
                .body("{\"id\":\"nowhere\",\"url\":\"rtmp://127.0.0.1:" + LocalStack.freePort() + "/live/nowhere\"}")
                .post("/api/v1/streams/" + demo + "/outputs").then().statusCode(201);
        // a client that sends a wrong RTMP version: a handshake error on the gateway
        try (Socket socket = new Socket("127.0.0.1", stack.rtmpPort); OutputStream out = socket.getOutputStream()) {
            out.write(new byte[] {(byte) 0x42, 1, 2, 3, 4, 5, 6, 7, 8});
            out.flush();
            socket.setSoTimeout(2000);
            socket.getInputStream().read(new byte[1]);
        } catch (IOException expected) {
            // the gateway closes the connection, as it should
        }
    }

    @AfterAll
    static void stop() {
        if (player != null) {
            player.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyPanelQueryAndRuleExpressionUsesSeriesAndLabelsTheLiveScrapeHas() throws Exception {
        Map<String, String> queries = queries();
        Set<String> wanted = new TreeSet<>();
        queries.values().forEach(q -> wanted.addAll(PromQl.metrics(q)));
        wanted.removeAll(EXTERNAL);
        Map<String, Set<String>> scraped = new TreeMap<>();
        Poll.until(SERIES_TIMEOUT, () -> {
            scraped.clear();
            scraped.putAll(scrape());
            return scraped.keySet().containsAll(wanted);
        });
        List<String> problems = new ArrayList<>();
        queries.forEach((where, query) -> {
            List<String> metrics = PromQl.metrics(query).stream().filter(m -> !EXTERNAL.contains(m)).toList();
            for (String metric : metrics) {
                if (!scraped.containsKey(metric)) {
                    problems.add(where + ": " + metric + " is in no scrape");
                }
            }
            if (metrics.isEmpty()) {
                return;
            }
            for (String label : PromQl.labels(query)) {
                boolean carried = SCRAPE_LABELS.contains(label)
                        || metrics.stream().anyMatch(m -> scraped.getOrDefault(m, Set.of()).contains(label));
                if (!carried) {
                    problems.add(where + ": label " + label + " is on none of " + metrics);
                }
            }
        });
        System.out.println("MonitoringQueriesIT: " + queries.size() + " queries over " + wanted.size() + " series: " + wanted);
        assertEquals(List.of(), problems, "queries against the live scrape (series seen: " + scraped.keySet() + ")");
        assertFalse(scraped.isEmpty(), "nothing scraped");
    }

    /** Panel title or alert name -> expression, for every query the dashboard and the rules hold. */
    private static Map<String, String> queries() throws IOException {
        Path root = LocalStack.repositoryRoot();
        Map<String, String> queries = new LinkedHashMap<>();
        JsonNode dashboard = new ObjectMapper().readTree(root.resolve("deploy/grafana/stream-manager.json").toFile());
        for (JsonNode panel : dashboard.path("panels")) {
            int i = 0;
            for (JsonNode target : panel.path("targets")) {
                queries.put("panel '" + panel.path("title").asText() + "' #" + i++, target.path("expr").asText());
            }
        }
        JsonNode rules = new YAMLMapper().readTree(root.resolve("deploy/prometheus/stream-manager-rules.yaml").toFile());
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                queries.put("alert " + rule.path("alert").asText(), rule.path("expr").asText());
            }
        }
        return queries;
    }

    /** Series name -> the label names it carries, over the four services' /q/metrics. */
    private static Map<String, Set<String>> scrape() {
        Map<String, Set<String>> series = new TreeMap<>();
        try {
            for (Map.Entry<String, String> endpoint : stack.endpoints().entrySet()) {
                if (!endpoint.getKey().endsWith(".metrics")) {
                    continue;
                }
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint.getValue()))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new AssertionError(endpoint.getValue() + ": HTTP " + response.statusCode());
                }
                PromQl.exposition(response.body()).forEach((name, labels) -> series.computeIfAbsent(name, n -> new TreeSet<>()).addAll(labels));
            }
        } catch (IOException e) {
            throw new AssertionError("scrape failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return series;
    }
}
