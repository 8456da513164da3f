package io.streammanager.system.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.streammanager.system.k8s.Renderings.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a cluster would get, checked on every rendering (the Helm chart with GPU off and on, the kustomize overlays
 * cpu and gpu): selectors, Services and ports, probes, configuration keys, the shared ring directory and
 * co-scheduling, GPU requests, secrets, image pins, resources and security contexts. No cluster is involved.
 */
class KubernetesManifestsTest {

    private static final Pattern CONFIG_KEY = Pattern.compile("`([a-z0-9][a-z0-9.-]*)`");
    private static final Pattern MAPPING_PREFIX = Pattern.compile("@ConfigMapping\\(prefix = \"([a-z-]+)\"\\)");
    /** Read by the JVM, glibc's malloc and the NVIDIA container toolkit, not by the services' configuration. */
    private static final Set<String> JVM_VARIABLES = Set.of("JDK_JAVA_OPTIONS", "MALLOC_ARENA_MAX",
            "NVIDIA_DRIVER_CAPABILITIES");
    /** Keys of media-bus's own configuration, which every service reads (sm.admin-token). */
    private static final Set<String> SHARED_VARIABLES = Set.of("SM_ADMIN_TOKEN");

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.streammanager.system.k8s.Renderings#all")
    void everyServiceAndRedisIsRenderedOnce(Rendered rendered) {
        List<String> deployments = rendered.ofKind("Deployment").stream().map(d -> d.path("metadata").path("name").asText()).sorted().toList();
        assertEquals(List.of("composition-service", "encoder-service", "muxer-service", "redis", "rtmp-gateway"), deployments, rendered.name());
        List<String> services = rendered.ofKind("Service").stream().map(d -> d.path("metadata").path("name").asText()).sorted().toList();
        List<String> expected = new ArrayList<>(deployments);
        expected.add("rtmp-gateway-playback"); // the gateway's public playback port, apart from its APIs
        expected.sort(null);
        assertEquals(expected, services, rendered.name() + ": one Service per Deployment, plus the gateway's playback");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.streammanager.system.k8s.Renderings#all")
    void everyDeploymentSelectsItsOwnPodsAndNoOtherDeploymentsPods(Rendered rendered) {
        for (ObjectNode deployment : rendered.ofKind("Deployment")) {
            String name = deployment.path("metadata").path("name").asText();
            JsonNode selector = deployment.path("spec").path("selector").path("matchLabels");
            assertFalse(selector.isEmpty(), rendered + ": " + name + " has no matchLabels");
            assertTrue(matches(selector, podLabels(deployment)), rendered + ": " + name + " selector " + selector + " misses its own pods");
            for (ObjectNode other : rendered.ofKind("Deployment")) {
                if (other != deployment) {
                    assertFalse(matches(selector, podLabels(other)), rendered + ": " + name + " selector also selects " + other.path("metadata").path("name"));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.streammanager.system.k8s.Renderings#all")
    void everyServiceSelectsOneDeploymentAndTargetsPortsItsContainerDeclares(Rendered rendered) {
        for (ObjectNode service : rendered.ofKind("Service")) {
            String name = service.path("metadata").path("name").asText();
            JsonNode selector = service.path("spec").path("selector");
            List<ObjectNode> selected = rendered.ofKind("Deployment").stream().filter(d -> matches(selector, podLabels(d))).toList();
            assertEquals(1, selected.size(), rendered + ": Service " + name + " should select one Deployment's pods");
            JsonNode ports = selected.getFirst().path("spec").path("template").path("spec").path("containers").get(0).path("ports");
            for (JsonNode port : service.path("spec").path("ports")) {
                JsonNode target = port.path("targetPort");
                boolean declared = false;
                for (JsonNode containerPort : ports) {
                    declared |= target.isInt() ? containerPort.path("containerPort").asInt() == target.asInt()
                            : containerPort.path("name").asText().equals(target.asText());
                }
                assertTrue(declared, rendered + ": Service " + name + " targets port " + target + " that its pods do not declare");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.streammanager.system.k8s.Renderings#all")
    void probesAskQuarkusHealthOnTheHttpPortTheServiceListensOn(Rendered rendered) {
        for (String service : Rendered.SERVICES) {
            JsonNode container = rendered.container(service);
            int httpPort = rendered.containerPort(service, "http");
            assertEquals(String.valueOf(httpPort), rendered.environment(service).get("QUARKUS_HTTP_PORT"),
                    rendered + ": " + service + " listens elsewhere than its http port");
            assertEquals("0.0.0.0", rendered.environment(service).get("QUARKUS_HTTP_HOST"),
                    rendered + ": " + service + " must listen beyond loopback for probes and Services");
            Map<String, String> expected = Map.of("livenessProbe", "/q/health/live", "readinessProbe", "/q/health/ready",
                    "startupProbe", "/q/health/live");
            expected.forEach((probe, path) -> {
                JsonNode get = container.path(probe).path("httpGet");
                assertEquals(path, get.path("path").asText(), rendered + ": " + service + " " + probe);
                assertEquals("http", get.path("port").asText(), rendered + ": " + service + " " + probe + " port");
            });
            assertEquals("/q/metrics", rendered.get("Deployment", service).path("spec").path("template").path("metadata")
                    .path("annotations").path("prometheus.io/path").asText(), rendered + ": " + service + " scrape path");
            assertEquals(String.valueOf(httpPort), rendered.get("Deployment", service).path("spec").path("template").path("metadata")
                    .path("annotations").path("prometheus.io/port").asText(), rendered + ": " + service + " scrape port");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.streammanager.system.k8s.Renderings#all")
    void everyEnvironmentVariableIsAConfigKeyTheServiceKnows(Rendered rendered) throws IOException {
        for (String service : Rendered.SERVICES) {
            Set<String> known = knownEnvironmentNames(service);
            for (String variable : rendered.environment(service).keySet()) {
                if (!JVM_VARIABLES.contains(variable) && !SHARED_VARIABLES.contains(variable)) {
                    assertTrue(known.contains(variable), rendered + ": " + service + " gets " + variable
                            + ", which is no key in its README config table or application.properties");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.streammanager.system.k8s.Renderings#all")
    void gatewayPortsAndUrlsAgreeAcrossServices(Rendered rendered) {
        Map<String, String> gateway = rendered.environment("rtmp-gateway");
        int rtmp = rendered.containerPort("rtmp-gateway", "rtmp");
        assertEquals(String.valueOf(rtmp), gateway.get("GATEWAY_RTMP_PORT"), rendered + ": gateway RTMP port");
        assertEquals("0.0.0.0", gateway.get("GATEWAY_RTMP_HOST"), rendered + ": gateway RTMP host");
        String expectedUrl = "rtmp://rtmp-gateway:" + rendered.servicePort("rtmp-gateway", "rtmp") + "/live";
        assertEquals(expectedUrl, rendered.environment("muxer-service").get("MUXER_GATEWAY_PUBLISH_BASE_URL"), rendered + ": muxer publishes elsewhere");
        assertEquals(expectedUrl, rendered.environment("composition-service").get("COMPOSITION_GATEWAY_PLAYBACK_BASE_URL"), rendered + ": composition plays elsewhere");
        assertEquals(rtmp, rendered.servicePort("rtmp-gateway", "rtmp"), rendered + ": RTMP Service port differs from the listener (players are told this port)");
        URI redis = URI.create(rendered.environment("rtmp-gateway").get("QUARKUS_REDIS_HOSTS"));
        assertEquals(redis.getPort(), rendered.servicePort(redis.getHost(), "redis"), rendered + ": Redis URL and Service disagree");
        for (String service : Rendered.SERVICES) {
            assertEquals(redis.toString(), rendered.environment(service).get("QUARKUS_REDIS_HOSTS"), rendered + ": " + service + " Redis");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.streammanager.system.k8s.Renderings#all")
    void pipelineSharesOneNodeLocalRingDirectoryOnOneNode(Rendered rendered) {
        Set<String> directories = new TreeSet<>();
        for (String service : Rendered.PIPELINE) {
            String prefix = service.substring(0, service.indexOf('-')).toUpperCase();
            String shmDir = rendered.environment(service).get(prefix + "_SHM_DIR");
            directories.add(shmDir);
            JsonNode pod = rendered.podSpec(service);
            String volume = null;
            for (JsonNode mount : rendered.container(service).path("volumeMounts")) {
                if (mount.path("mountPath").asText().equals(shmDir)) {
                    volume = mount.path("name").asText();
                }
            }
            assertTrue(volume != null, rendered + ": " + service + " mounts nothing at its shm-dir " + shmDir);
            for (JsonNode v : pod.path("volumes")) {
                if (v.path("name").asText().equals(volume)) {
                    assertEquals(shmDir, v.path("hostPath").path("path").asText(), rendered + ": " + service + " ring volume must be the node's " + shmDir);
                    assertEquals("DirectoryOrCreate", v.path("hostPath").path("type").asText(), rendered + ": " + service);
                }
            }
            assertEquals("Recreate", rendered.get("Deployment", service).path("spec").path("strategy").path("type").asText(),
                    rendered + ": " + service + " must not run two producers on one ring during a rollout");
            assertEquals(1, rendered.get("Deployment", service).path("spec").path("replicas").asInt(), rendered + ": " + service);
            assertEquals("true", pod.path("nodeSelector").path("stream-manager.io/media").asText(), rendered + ": " + service + " media node");
            if (!service.equals("composition-service")) {
                JsonNode term = pod.path("affinity").path("podAffinity").path("requiredDuringSchedulingIgnoredDuringExecution").path(0);
                assertEquals("kubernetes.io/hostname", term.path("topologyKey").asText(), rendered + ": " + service + " must follow the composition's node");
                assertTrue(matches(term.path("labelSelector").path("matchLabels"), podLabels(rendered.get("Deployment", "composition-service"))),
                        rendered + ": " + service + " pod affinity does not select the composition's pods");
            }
        }
        assertEquals(Set.of("/dev/shm/stream-manager"), directories, rendered + ": the pipeline services disagree on the ring directory");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.streammanager.system.k8s.Renderings#all")
    void onlyTheEncoderAsksForAGpuAndOnlyWhenGpuIsEnabled(Rendered rendered) {
        boolean gpu = Renderings.gpuEnabled(rendered);
        for (ObjectNode deployment : rendered.ofKind("Deployment")) {
            String name = deployment.path("metadata").path("name").asText();
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            JsonNode gpuLimit = pod.path("containers").get(0).path("resources").path("limits").path("nvidia.com/gpu");
            boolean wantsGpu = gpu && name.equals("encoder-service");
            assertEquals(wantsGpu ? 1 : 0, gpuLimit.asInt(0), rendered + ": " + name + " nvidia.com/gpu limit");
            String nodeAffinity = pod.path("affinity").path("nodeAffinity").toString();
            boolean onGpuNode = gpu && (name.equals("encoder-service") || name.equals("composition-service"));
            assertEquals(onGpuNode, nodeAffinity.contains("\"nvidia.com/gpu.present\""), rendered + ": " + name + " GPU node affinity");
        }
        assertEquals(gpu ? "auto" : "software", rendered.environment("encoder-service").get("ENCODER_HARDWARE"), rendered + ": encoder.hardware");
        String capabilities = rendered.environment("encoder-service").getOrDefault("NVIDIA_DRIVER_CAPABILITIES", "");
        assertEquals(gpu, List.of(capabilities.split(",")).contains("video"), rendered + ": NVENC needs the driver's video capability: " + capabilities);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.streammanager.system.k8s.Renderings#all")
    void everyPipelinePodToleratesTheGpuTaintWhenGpuIsEnabledSoTheMuxerCanFollowTheComposition(Rendered rendered) {
        boolean gpu = Renderings.gpuEnabled(rendered);
        for (String service : Rendered.PIPELINE) {
            String tolerations = rendered.podSpec(service).path("tolerations").toString();
            assertEquals(gpu, tolerations.contains("\"key\":\"nvidia.com/gpu\"") && tolerations.contains("\"NoSchedule\""),
                    rendered + ": " + service + " tolerations " + tolerations);
        }
        assertTrue(rendered.podSpec("rtmp-gateway").path("tolerations").isMissingNode(), rendered + ": the gateway stays off GPU nodes");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.streammanager.system.k8s.Renderings#all")
    void ringDirectoryIsMadeThePodUsersByAnInitContainerWithOnlyChownAndFowner(Rendered rendered) {
        for (String service : Rendered.PIPELINE) {
            JsonNode pod = rendered.podSpec(service);
            String shmDir = rendered.environment(service).get(service.substring(0, service.indexOf('-')).toUpperCase() + "_SHM_DIR");
            JsonNode init = pod.path("initContainers");
            assertEquals(1, init.size(), rendered + ": " + service + " init containers");
            JsonNode container = init.get(0);
            assertEquals(rendered.container(service).path("image"), container.path("image"), rendered + ": " + service + " init image");
            String user = pod.path("securityContext").path("runAsUser").asText();
            String group = pod.path("securityContext").path("runAsGroup").asText();
            List<String> command = new ArrayList<>();
            container.path("command").forEach(c -> command.add(c.asText()));
            assertEquals(List.of("RingDirectory", shmDir, user, group), command.subList(command.size() - 4, command.size()),
                    rendered + ": " + service + " init command " + command);
            String mountedVolume = null;
            for (JsonNode mount : container.path("volumeMounts")) {
                if (mount.path("mountPath").asText().equals(shmDir)) {
                    mountedVolume = mount.path("name").asText();
                }
            }
            for (JsonNode mount : rendered.container(service).path("volumeMounts")) {
                if (mount.path("mountPath").asText().equals(shmDir)) {
                    assertEquals(mount.path("name").asText(), mountedVolume, rendered + ": " + service + " init container prepares another volume");
                }
            }
            JsonNode security = container.path("securityContext");
            assertEquals("[\"CHOWN\",\"FOWNER\"]", security.path("capabilities").path("add").toString(), rendered + ": " + service + " init capabilities");
            assertEquals("[\"ALL\"]", security.path("capabilities").path("drop").toString(), rendered + ": " + service + " init drops");
            assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), rendered + ": " + service + " init allowPrivilegeEscalation");
            assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), rendered + ": " + service + " init readOnlyRootFilesystem");
            assertFalse(container.path("resources").path("limits").path("memory").asText().isEmpty(), rendered + ": " + service + " init memory limit");
        }
        assertTrue(rendered.podSpec("rtmp-gateway").path("initContainers").isMissingNode(), rendered + ": the gateway has no rings");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.streammanager.system.k8s.Renderings#all")
    void secretsAreOnlyReferencedNeverCarried(Rendered rendered) {
        for (ObjectNode secret : rendered.ofKind("Secret")) {
            assertTrue(secret.path("data").isEmpty() && secret.path("stringData").isEmpty(),
                    rendered + ": Secret " + secret.path("metadata").path("name") + " carries a value");
        }
        for (ObjectNode configMap : rendered.ofKind("ConfigMap")) {
            configMap.path("data").fieldNames().forEachRemaining(key -> assertFalse(key.matches(".*(SECRET|PASSWORD|TOKEN).*"),
                    rendered + ": ConfigMap " + configMap.path("metadata").path("name") + " holds " + key));
        }
        for (ObjectNode deployment : rendered.ofKind("Deployment")) {
            for (JsonNode variable : deployment.path("spec").path("template").path("spec").path("containers").get(0).path("env")) {
                if (variable.path("name").asText().matches(".*(SECRET|PASSWORD|TOKEN).*")) {
                    assertTrue(variable.path("valueFrom").has("secretKeyRef"), rendered + ": " + variable.path("name") + " is not read from a Secret");
                }
            }
        }
        assertEquals("<secret stream-manager-play-tokens/play-token-secret>",
                rendered.environment("rtmp-gateway").get("GATEWAY_AUTH_PLAY_TOKEN_SECRET"), rendered + ": play-token secret reference");
        for (String service : Rendered.SERVICES) {
            assertEquals("<secret stream-manager-admin-token/admin-token>", rendered.environment(service).get("SM_ADMIN_TOKEN"),
                    rendered + ": " + service + " bootstrap admin token reference");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.streammanager.system.k8s.Renderings#all")
    void playbackHasAServiceOfItsOwnAndNoOtherServiceExposesIt(Rendered rendered) {
        Map<String, String> gateway = rendered.environment("rtmp-gateway");
        int playback = rendered.containerPort("rtmp-gateway", "playback");
        assertEquals(String.valueOf(playback), gateway.get("GATEWAY_PLAYBACK_PORT"), rendered + ": playback listener port");
        assertEquals("0.0.0.0", gateway.get("GATEWAY_PLAYBACK_HOST"), rendered + ": playback listener host");
        assertTrue(playback != rendered.containerPort("rtmp-gateway", "http"), rendered + ": playback shares the API port");
        JsonNode ports = rendered.get("Service", "rtmp-gateway-playback").path("spec").path("ports");
        assertEquals(1, ports.size(), rendered + ": the playback Service exposes only playback: " + ports);
        assertEquals("playback", ports.get(0).path("targetPort").asText(), rendered + ": playback Service target");
        for (ObjectNode service : rendered.ofKind("Service")) {
            for (JsonNode port : service.path("spec").path("ports")) {
                boolean playbackPort = port.path("targetPort").asText().equals("playback");
                assertEquals(service.path("metadata").path("name").asText().equals("rtmp-gateway-playback"), playbackPort,
                        rendered + ": Service " + service.path("metadata").path("name") + " port " + port);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.streammanager.system.k8s.Renderings#all")
    void everyContainerIsPinnedBoundedAndUnprivileged(Rendered rendered) {
        for (ObjectNode deployment : rendered.ofKind("Deployment")) {
            String name = deployment.path("metadata").path("name").asText();
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), rendered + ": " + name + " runAsNonRoot");
            assertTrue(pod.path("securityContext").path("runAsUser").asInt() > 0, rendered + ": " + name + " runAsUser");
            assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), rendered + ": " + name + " needs no API token");
            for (JsonNode container : pod.path("containers")) {
                String image = container.path("image").asText();
                String tag = image.substring(image.lastIndexOf('/') + 1).contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
                assertFalse(tag.isEmpty() || tag.equals("latest"), rendered + ": " + name + " image " + image + " is not pinned");
                for (String kind : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        assertFalse(container.path("resources").path(kind).path(resource).asText().isEmpty(),
                                rendered + ": " + name + " has no " + kind + "." + resource);
                    }
                }
                JsonNode security = container.path("securityContext");
                assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), rendered + ": " + name + " allowPrivilegeEscalation");
                assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), rendered + ": " + name + " readOnlyRootFilesystem");
                assertEquals("[\"ALL\"]", security.path("capabilities").path("drop").toString(), rendered + ": " + name + " capabilities");
                assertFalse(security.path("privileged").asBoolean(false), rendered + ": " + name + " privileged");
            }
        }
        for (String service : Rendered.SERVICES) {
            assertTrue(rendered.container(service).path("image").asText().startsWith("stream-manager/" + service + ":"),
                    rendered + ": " + service + " image");
        }
    }


    private static JsonNode podLabels(ObjectNode deployment) {
        return deployment.path("spec").path("template").path("metadata").path("labels");
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector.isEmpty()) {
            return false;
        }
        boolean all = true;
        for (Map.Entry<String, JsonNode> entry : selector.properties()) {
            all &= entry.getValue().asText().equals(labels.path(entry.getKey()).asText(null));
        }
        return all;
    }

    private static final Map<String, Set<String>> KNOWN = new HashMap<>();

    /**
     * The environment names a service understands: its {@code @ConfigMapping} prefix joined with every key in its
     * README's config tables, plus the keys of its application.properties and the shared control loop's keys
     * ({@code control.*}, from media-bus's README), spelled the Quarkus way for environment
     * variables (upper case, every non-alphanumeric character an underscore).
     */
    private static synchronized Set<String> knownEnvironmentNames(String service) throws IOException {
        if (KNOWN.containsKey(service)) {
            return KNOWN.get(service);
        }
        Path module = ROOT.resolve(service);
        String prefix;
        try (Stream<Path> sources = Files.walk(module.resolve("src/main/java"))) {
            List<String> prefixes = new ArrayList<>();
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher matcher = MAPPING_PREFIX.matcher(Files.readString(source));
                while (matcher.find()) {
                    prefixes.add(matcher.group(1));
                }
            }
            assertEquals(1, prefixes.size(), service + " should have one @ConfigMapping: " + prefixes);
            prefix = prefixes.getFirst();
        }
        Set<String> keys = new HashSet<>();
        for (String line : Files.readAllLines(module.resolve("README.md"))) {
            if (line.startsWith("| `")) {
                Matcher matcher = CONFIG_KEY.matcher(line.split("\\|")[1]);
                while (matcher.find()) {
                    String key = matcher.group(1);
                    keys.add(key.startsWith(prefix + ".") ? key : prefix + "." + key);
                }
            }
        }
        // the shared control loop's keys (control.*) belong to every service; media-bus documents them once
        for (String line : Files.readAllLines(ROOT.resolve("media-bus/README.md"))) {
            if (line.startsWith("| `control.")) {
                Matcher matcher = CONFIG_KEY.matcher(line.split("\\|")[1]);
                while (matcher.find()) {
                    keys.add(matcher.group(1));
                }
            }
        }
        for (String line : Files.readAllLines(module.resolve("src/main/resources/application.properties"))) {
            if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("%") && line.contains("=")) {
                keys.add(line.substring(0, line.indexOf('=')).trim());
            }
        }
        Set<String> names = new HashSet<>();
        keys.forEach(key -> names.add(key.toUpperCase().replaceAll("[^A-Z0-9]", "_")));
        KNOWN.put(service, names);
        return names;
    }
}
