package io.streammanager.system.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Prometheus rules (deploy/prometheus) and the Grafana dashboard (deploy/grafana) use only metric names the
 * services document, so a renamed or mistyped metric fails here instead of leaving an alert that never fires.
 */
class MonitoringFilesTest {

    private static final Path ROOT = Path.of(System.getProperty("stream-manager.root", "..")).toAbsolutePath().normalize();
    private static final Pattern METRIC = Pattern.compile("\\b(?:rtmp|encoder|muxer|composition)_[a-z_]+[a-z]");
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    @Test
    void everyAlertIsCompleteAndUniquelyNamed() throws IOException {
        List<JsonNode> rules = rules();
        Set<String> names = new HashSet<>();
        for (JsonNode rule : rules) {
            String alert = rule.path("alert").asText();
            assertFalse(alert.isEmpty(), "a rule without an alert name: " + rule);
            assertTrue(names.add(alert), "alert " + alert + " defined twice");
            assertFalse(rule.path("expr").asText().isBlank(), alert + " has no expr");
            assertTrue(rule.path("for").asText().matches("\\d+[smh]"), alert + " needs a 'for' duration, has " + rule.path("for"));
            assertTrue(SEVERITIES.contains(rule.path("labels").path("severity").asText()), alert + " severity");
            assertFalse(rule.path("annotations").path("summary").asText().isBlank(), alert + " has no summary");
        }
    }

    @Test
    void alertsWatchGatewayErrorsDroppedFramesOutputErrorsAndReadiness() throws IOException {
        String expressions = String.join("\n", rules().stream().map(r -> r.path("expr").asText()).toList());
        for (String watched : List.of("rtmp_errors_total", "encoder_dropped_frames_total", "muxer_errors_total",
                "kube_deployment_status_replicas_available")) {
            assertTrue(expressions.contains(watched), "no alert on " + watched);
        }
    }

    @Test
    void rulesUseOnlyMetricNamesTheServicesDocument() throws IOException {
        Set<String> documented = documentedMetrics();
        for (JsonNode rule : rules()) {
            for (String metric : metricsIn(rule.path("expr").asText())) {
                assertTrue(documented.contains(metric), "alert " + rule.path("alert").asText() + " uses " + metric
                        + ", which no service documents (documented: " + documented + ")");
            }
        }
    }

    @Test
    void dashboardPanelsQueryOnlyDocumentedMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(ROOT.resolve("deploy/grafana/stream-manager.json").toFile());
        Set<String> documented = documentedMetrics();
        Set<Integer> ids = new HashSet<>();
        assertFalse(dashboard.path("panels").isEmpty(), "dashboard has no panels");
        for (JsonNode panel : dashboard.path("panels")) {
            assertTrue(ids.add(panel.path("id").asInt()), "panel id " + panel.path("id") + " used twice");
            assertFalse(panel.path("targets").isEmpty(), "panel " + panel.path("title") + " queries nothing");
            for (JsonNode target : panel.path("targets")) {
                List<String> metrics = metricsIn(target.path("expr").asText());
                assertFalse(metrics.isEmpty(), "panel " + panel.path("title") + " queries none of our metrics");
                for (String metric : metrics) {
                    assertTrue(documented.contains(metric), "panel " + panel.path("title") + " uses " + metric + ", which no service documents");
                }
            }
        }
    }

    private static List<JsonNode> rules() throws IOException {
        JsonNode file = Yaml.readOne(ROOT.resolve("deploy/prometheus/stream-manager-rules.yaml"));
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode group : file.path("groups")) {
            group.path("rules").forEach(rules::add);
        }
        assertFalse(rules.isEmpty(), "no rules");
        return rules;
    }

    /** Our metric names in a PromQL expression; histogram series (_bucket, _count, _sum) count as their family. */
    private static List<String> metricsIn(String expression) {
        List<String> metrics = new ArrayList<>();
        Matcher matcher = METRIC.matcher(expression);
        while (matcher.find()) {
            metrics.add(matcher.group().replaceFirst("_(bucket|count|sum)$", ""));
        }
        return metrics;
    }

    /** Every metric name the top-level README and the four service READMEs mention. */
    private static Set<String> documentedMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String readme : List.of("README.md", "rtmp-gateway/README.md", "composition-service/README.md",
                "encoder-service/README.md", "muxer-service/README.md")) {
            Matcher matcher = METRIC.matcher(Files.readString(ROOT.resolve(readme)));
            while (matcher.find()) {
                names.add(matcher.group());
            }
        }
        assertTrue(names.contains("rtmp_errors_total"), "README scan found no metric names: " + names);
        return names;
    }
}
