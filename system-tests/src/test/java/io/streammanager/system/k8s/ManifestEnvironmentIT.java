package io.streammanager.system.k8s;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static io.streammanager.system.k8s.Renderings.ROOT;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The environment the Helm chart gives each pod, run for real: the four packaged services start with exactly the
 * variable names of the rendered manifests (only the values are localised: 127.0.0.1, free ports, a local Redis, a
 * private ring directory, the gateway's address), and a stream goes live end to end. A variable name Quarkus does
 * not map to the intended key (a typo, a dashed key spelled wrong) shows up here as a service on a default port, a
 * ring in the wrong directory or a muxer publishing nowhere.
 */
class ManifestEnvironmentIT {

    /** What an operator would put into the chart's optional Secret {@code stream-manager-admin-token}. */
    private static final String ADMIN_TOKEN = "manifest-env-admin-token-" + Long.toHexString(System.nanoTime());

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<Process> services = new ArrayList<>();
    private Process redis;
    private Path workDir;
    private Path shmDir;

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process service : services) {
            stop(service);
        }
        if (redis != null) {
            stop(redis);
        }
        deleteTree(shmDir);
        deleteTree(workDir);
    }

    @Test
    void packagedServicesConfiguredOnlyByTheChartsEnvironmentNamesPutAStreamLive() throws Exception {
        for (String service : Rendered.SERVICES) {
            Path jar = ROOT.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
            assertTrue(Files.isRegularFile(jar), jar + " missing: package the services first (build/mvn -B package -DskipTests)");
        }
        Rendered chart = Renderings.HELM_DEFAULT;
        workDir = Files.createDirectories(ROOT.resolve("system-tests/target/manifest-env-" + System.nanoTime()));
        shmDir = Path.of("/dev/shm", "sm-manifest-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        int redisPort = freePort();
        int rtmpPort = freePort();
        int playbackPort = freePort();
        Map<String, Integer> httpPorts = new LinkedHashMap<>();
        Rendered.SERVICES.forEach(service -> httpPorts.put(service, freePort()));

        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", workDir.toString())
                .redirectErrorStream(true).redirectOutput(workDir.resolve("redis.log").toFile()).start();
        await("redis", () -> redisKeys(redisPort) != null);

        for (String service : Rendered.SERVICES) {
            Map<String, String> environment = new LinkedHashMap<>();
            chart.environment(service).forEach((name, value) -> {
                String local = switch (name) {
                    case "QUARKUS_HTTP_PORT" -> Integer.toString(httpPorts.get(service));
                    case "GATEWAY_RTMP_PORT" -> Integer.toString(rtmpPort);
                    case "GATEWAY_PLAYBACK_PORT" -> Integer.toString(playbackPort);
                    // the optional Secret the chart reads the bootstrap admin token from, as an operator would make it
                    case "SM_ADMIN_TOKEN" -> ADMIN_TOKEN;
                    case "QUARKUS_REDIS_HOSTS" -> "redis://127.0.0.1:" + redisPort;
                    case "COMPOSITION_SHM_DIR", "ENCODER_SHM_DIR", "MUXER_SHM_DIR" -> shmDir.toString();
                    case "JDK_JAVA_OPTIONS" -> value.replace("/tmp/javacpp", workDir.resolve("javacpp").toString());
                    default -> value.equals("0.0.0.0") ? "127.0.0.1"
                            : value.equals("<field metadata.name>") ? service + "-it"
                            : value.replace("rtmp://rtmp-gateway:" + chart.servicePort("rtmp-gateway", "rtmp"), "rtmp://127.0.0.1:" + rtmpPort);
                };
                if (!local.startsWith("<secret ")) { // optional Secret references: absent, as without the Secret
                    environment.put(name, local);
                }
            });
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-jar", ROOT.resolve(service).resolve("target/quarkus-app/quarkus-run.jar").toString())
                    .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(workDir.resolve(service + ".log").toFile());
            builder.environment().clear();
            builder.environment().put("PATH", System.getenv("PATH"));
            builder.environment().put("HOME", workDir.toString());
            builder.environment().putAll(environment);
            services.add(builder.start());
        }
        for (String service : Rendered.SERVICES) {
            String ready = "http://127.0.0.1:" + httpPorts.get(service) + "/q/health/ready";
            await(service + " ready at " + ready + " (QUARKUS_HTTP_PORT, QUARKUS_REDIS_HOSTS)", () -> status(ready) == 200);
        }
        try (Socket rtmp = new Socket(InetAddress.getLoopbackAddress(), rtmpPort)) {
            assertTrue(rtmp.isConnected(), "gateway RTMP listener on GATEWAY_RTMP_PORT");
        }

        String body = Files.readString(ROOT.resolve("deploy/local/demo-stream.json")).replace("__NAME__", "manifest-env");
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts.get("composition-service") + "/api/v1/streams"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(created.statusCode() == 201, "stream creation: " + created.statusCode() + " " + created.body());
        String sessions = "http://127.0.0.1:" + httpPorts.get("rtmp-gateway") + "/api/v1/sessions";
        await("the muxer publishing the stream on the gateway (rings in *_SHM_DIR, MUXER_GATEWAY_PUBLISH_BASE_URL)",
                () -> get(sessions).contains("\"stream\":\"manifest-env\",\"role\":\"publisher\""));
        for (String service : List.of("composition-service", "encoder-service", "muxer-service")) {
            String keys = redisKeys(redisPort);
            assertTrue(keys.contains(service + "-it"), service + " heartbeat should carry the instance id from its CONTROL_INSTANCE_ID: " + keys);
        }
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            for (int i = 0; i < services.size(); i++) {
                if (!services.get(i).isAlive()) {
                    fail(Rendered.SERVICES.get(i) + " exited while waiting for " + what + ":\n" + logTail(Rendered.SERVICES.get(i)));
                }
            }
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                Rendered.SERVICES.forEach(s -> logs.append("--- ").append(s).append('\n').append(logTail(s)));
                fail("timed out after " + READY_TIMEOUT + " waiting for " + what + "\n" + logs);
            }
            Thread.sleep(250);
        }
    }

    private String logTail(String service) {
        try {
            List<String> lines = Files.readAllLines(workDir.resolve(service + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())) + "\n";
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")\n";
        }
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                            .header("Authorization", "Bearer " + ADMIN_TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Redis's key names, one a line (redis-cli, which Debian's redis-server brings), or null while it does not answer. */
    private static String redisKeys(int port) {
        try {
            Process cli = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port), "--raw", "KEYS", "*")
                    .redirectErrorStream(true).start();
            String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!cli.waitFor(10, TimeUnit.SECONDS)) {
                cli.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return null;
            }
            return cli.exitValue() == 0 && !output.contains("Could not connect") ? output : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
