package io.streammanager.system.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.streammanager.system.k8s.Renderings.HELM_DEFAULT;
import static io.streammanager.system.k8s.Renderings.HELM_GPU;
import static io.streammanager.system.k8s.Renderings.HELM_GPU_RTMPS;
import static io.streammanager.system.k8s.Renderings.KUSTOMIZE_CPU;
import static io.streammanager.system.k8s.Renderings.KUSTOMIZE_GPU;
import static io.streammanager.system.k8s.Renderings.helm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/** The chart's own values (lint, RTMPS, external Redis, gateway scaling) and its agreement with the kustomize overlays. */
class HelmChartTest {

    @Test
    void helmLintFindsNothingEvenInStrictMode() {
        LintResult result = new Helm(Renderings.CHART).lint().strict().call();
        assertFalse(result.isFailed(), () -> "helm lint: " + result.getMessages());
    }


    @Test
    void rtmpsIsServedOnlyWhenEnabledWithTheCertificateFromTheNamedSecret() {
        assertTrue(HELM_DEFAULT.environment("rtmp-gateway").keySet().stream().noneMatch(k -> k.startsWith("GATEWAY_RTMPS_")),
                "rtmps is off by default");
        assertThrows(AssertionError.class, () -> HELM_DEFAULT.containerPort("rtmp-gateway", "rtmps"));
        Map<String, String> gateway = HELM_GPU_RTMPS.environment("rtmp-gateway");
        assertEquals("true", gateway.get("GATEWAY_RTMPS_ENABLED"));
        int port = HELM_GPU_RTMPS.containerPort("rtmp-gateway", "rtmps");
        assertEquals(String.valueOf(port), gateway.get("GATEWAY_RTMPS_PORT"));
        assertEquals(port, HELM_GPU_RTMPS.servicePort("rtmp-gateway", "rtmps"));
        assertEquals("0.0.0.0", gateway.get("GATEWAY_RTMPS_HOST"));
        JsonNode pod = HELM_GPU_RTMPS.podSpec("rtmp-gateway");
        for (String file : List.of(gateway.get("GATEWAY_RTMPS_CERT_PATH"), gateway.get("GATEWAY_RTMPS_KEY_PATH"))) {
            String secret = null;
            for (JsonNode mount : HELM_GPU_RTMPS.container("rtmp-gateway").path("volumeMounts")) {
                if (file.startsWith(mount.path("mountPath").asText() + "/")) {
                    for (JsonNode volume : pod.path("volumes")) {
                        if (volume.path("name").asText().equals(mount.path("name").asText())) {
                            secret = volume.path("secret").path("secretName").asText();
                        }
                    }
                }
            }
            assertEquals("gateway-rtmps-tls", secret, file + " should come from the rtmps.secretName Secret");
        }
    }

    @Test
    void rtmpsWithoutACertificateSecretIsRefusedAtRenderTime() {
        Exception refused = assertThrows(Exception.class, () -> helm().set("rtmps.enabled", true).call());
        assertTrue(refused.getMessage().contains("rtmps.secretName"), refused.getMessage());
    }

    @Test
    void anExternalRedisReplacesTheBundledOne() {
        Rendered external = new Rendered("helm redis.external", Yaml.readAll(helm().set("redis.external", "redis://shared-redis.example:6380").call()));
        assertTrue(external.find("Deployment", "redis").isEmpty(), "no bundled Redis");
        assertTrue(external.find("Service", "redis").isEmpty(), "no bundled Redis Service");
        for (String service : Rendered.SERVICES) {
            assertEquals("redis://shared-redis.example:6380", external.environment(service).get("QUARKUS_REDIS_HOSTS"), service);
        }
    }

    @Test
    void gatewayScalesWithReplicasServiceTypeAndNodeSelector() {
        Rendered scaled = new Rendered("helm scaled gateway", Yaml.readAll(helm().set("gateway.replicas", 3)
                .set("gateway.service.type", "LoadBalancer").set("gateway.nodeSelector.node-role/edge", "true").call()));
        assertEquals(3, scaled.get("Deployment", "rtmp-gateway").path("spec").path("replicas").asInt());
        assertEquals("LoadBalancer", scaled.get("Service", "rtmp-gateway").path("spec").path("type").asText());
        assertEquals("{\"node-role/edge\":\"true\"}", scaled.podSpec("rtmp-gateway").path("nodeSelector").toString());
        assertTrue(HELM_DEFAULT.podSpec("rtmp-gateway").path("nodeSelector").isMissingNode(), "no gateway node selector by default");
        assertEquals(1, scaled.get("Deployment", "encoder-service").path("spec").path("replicas").asInt(), "pipeline stays single");
    }

    @Test
    void grafanaDashboardAndPrometheusRuleShipOnlyWhenEnabledAndCarryTheFilesUnchanged() throws Exception {
        assertTrue(HELM_DEFAULT.find("ConfigMap", "stream-manager-grafana-dashboard").isEmpty(), "dashboard off by default");
        assertTrue(HELM_DEFAULT.ofKind("PrometheusRule").isEmpty(), "rules off by default");
        Rendered monitored = new Rendered("helm monitoring", Yaml.readAll(helm().set("monitoring.grafanaDashboard.enabled", true)
                .set("monitoring.prometheusRule.enabled", true).set("monitoring.prometheusRule.labels.release", "kube-prometheus-stack").call()));
        ObjectNode dashboard = monitored.get("ConfigMap", "stream-manager-grafana-dashboard");
        assertEquals("1", dashboard.path("metadata").path("labels").path("grafana_dashboard").asText(), "Grafana sidecar label");
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(Renderings.ROOT.resolve("deploy/grafana/stream-manager.json").toFile()),
                json.readTree(dashboard.path("data").path("stream-manager.json").asText()), "dashboard JSON");
        ObjectNode rule = monitored.get("PrometheusRule", "stream-manager");
        assertEquals("monitoring.coreos.com/v1", rule.path("apiVersion").asText());
        assertEquals("kube-prometheus-stack", rule.path("metadata").path("labels").path("release").asText(), "ruleSelector label");
        assertEquals(Yaml.readOne(Renderings.ROOT.resolve("deploy/prometheus/stream-manager-rules.yaml")).path("groups"),
                rule.path("spec").path("groups"), "rule groups");
    }

    @Test
    void helmChartAndKustomizeGpuOverlayRenderTheSameWorkloads() {
        assertSameWorkloads(HELM_GPU, KUSTOMIZE_GPU);
    }

    @Test
    void HELM_DEFAULTsAndKustomizeCpuOverlayRenderTheSameWorkloads() {
        assertSameWorkloads(HELM_DEFAULT, KUSTOMIZE_CPU);
    }

    /**
     * The chart and the plain manifests are two spellings of one deployment: same objects, same pod specs (ports,
     * probes, env, volumes, ring path, resources, scheduling, security), same ConfigMap data and Service specs.
     * Labels may differ only by Helm's bookkeeping labels; pod annotations by Helm's config checksum.
     */
    private static void assertSameWorkloads(Rendered helm, Rendered kustomize) {
        assertEquals(identities(kustomize), identities(helm), "objects");
        for (ObjectNode expected : kustomize.objects()) {
            String kind = expected.path("kind").asText();
            String name = expected.path("metadata").path("name").asText();
            ObjectNode actual = helm.get(kind, name);
            String what = helm + " vs " + kustomize + ": " + kind + " " + name;
            switch (kind) {
                case "Deployment" -> {
                    ObjectNode helmSpec = actual.path("spec").deepCopy();
                    ObjectNode helmTemplateMeta = (ObjectNode) helmSpec.path("template").path("metadata");
                    if (helmTemplateMeta.path("annotations") instanceof ObjectNode annotations) {
                        annotations.remove("checksum/config");
                        if (annotations.isEmpty()) {
                            helmTemplateMeta.remove("annotations");
                        }
                    }
                    for (String containers : List.of("initContainers", "containers")) {
                        for (JsonNode container : helmSpec.path("template").path("spec").path(containers)) {
                            ((ObjectNode) container).remove("imagePullPolicy");
                        }
                    }
                    assertEquals(Yaml.write(expected.path("spec")), Yaml.write(helmSpec), what);
                }
                case "Service" -> assertEquals(Yaml.write(expected.path("spec")), Yaml.write(actual.path("spec")), what);
                case "ConfigMap" -> assertEquals(Yaml.write(expected.path("data")), Yaml.write(actual.path("data")), what);
                default -> fail(what + ": no comparison for this kind yet");
            }
            JsonNode helmLabels = actual.path("metadata").path("labels");
            expected.path("metadata").path("labels").fields().forEachRemaining(label ->
                    assertEquals(label.getValue(), helmLabels.path(label.getKey()), what + " label " + label.getKey()));
        }
    }

    private static Set<String> identities(Rendered rendered) {
        Set<String> identities = new TreeSet<>();
        rendered.objects().forEach(o -> identities.add(o.path("kind").asText() + "/" + o.path("metadata").path("name").asText()));
        return identities;
    }
}
