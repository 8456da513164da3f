package io.streammanager.system;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The whole stack as an operator starts it: {@code deploy/local/run.sh} with free loopback ports, a shared-memory
 * directory of its own and the demo stream. {@link #close()} stops the script by its PID (it stops its children), then
 * makes sure none of the processes it recorded outlived it, and removes the ring directory and logs.
 */
final class LocalStack implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);

    final int rtmpPort = freePort();
    final int gatewayPlaybackPort = freePort();
    final int gatewayApiPort = freePort();
    final int compositionPort = freePort();
    final int encoderPort = freePort();
    final int muxerPort = freePort();
    final int redisPort = freePort();
    final Path shmDir = Paths.get("/dev/shm", "sm-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    final Path logDir;
    private final Process process;
    private final List<String> output = new ArrayList<>();

    private LocalStack(Map<String, String> extraEnvironment) throws IOException {
        logDir = Files.createTempDirectory("sm-it-logs-");
        Path root = repositoryRoot();
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("deploy/local/run.sh").toString())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("SM_HOST", "127.0.0.1");
        env.put("SM_RTMP_PORT", Integer.toString(rtmpPort));
        env.put("SM_GATEWAY_PLAYBACK_PORT", Integer.toString(gatewayPlaybackPort));
        env.put("SM_GATEWAY_API_PORT", Integer.toString(gatewayApiPort));
        env.remove("SM_ADMIN_TOKEN"); // run.sh generates one into logDir/admin-token, as for an operator
        env.put("SM_COMPOSITION_PORT", Integer.toString(compositionPort));
        env.put("SM_ENCODER_PORT", Integer.toString(encoderPort));
        env.put("SM_MUXER_PORT", Integer.toString(muxerPort));
        env.put("SM_REDIS_PORT", Integer.toString(redisPort));
        env.put("SM_SHM_DIR", shmDir.toString());
        env.put("SM_LOG_DIR", logDir.toString());
        env.put("SM_SKIP_BUILD", "1");
        env.put("SM_DEMO", "1");
        env.put("SM_DEMO_NAME", "demo");
        env.putAll(extraEnvironment);
        process = builder.start();
    }

    static LocalStack start() throws IOException, InterruptedException {
        return start(Map.of());
    }

    /** Same with settings added to the services' environment (e.g. {@code MUXER_RECORDINGS_DIR}). */
    static LocalStack start(Map<String, String> extraEnvironment) throws IOException, InterruptedException {
        LocalStack stack = new LocalStack(extraEnvironment);
        try {
            stack.awaitReady();
        } catch (RuntimeException | IOException | InterruptedException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    private void awaitReady() throws IOException, InterruptedException {
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().daemon().name("run.sh-output").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                    if (line.startsWith("READY")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.complete(false);
        });
        try {
            if (!ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("run.sh ended before the stack was ready:\n" + output() + serviceLogs());
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("reading run.sh output", e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("stack not ready within " + START_TIMEOUT + ":\n" + output() + serviceLogs());
        }
        reader.setName("run.sh-output-" + process.pid());
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    String serviceLogs() {
        StringBuilder logs = new StringBuilder();
        try (Stream<Path> files = Files.list(logDir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                logs.append("\n--- ").append(file.getFileName()).append(" (last 40 lines)\n");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> logs.append(l).append('\n'));
            }
        } catch (IOException | UncheckedIOException e) {
            logs.append("\n(logs unreadable: ").append(e.getMessage()).append(")");
        }
        return logs.toString();
    }

    String compositionUrl() {
        return "http://127.0.0.1:" + compositionPort;
    }

    String playUrl(String name) {
        return "rtmp://127.0.0.1:" + rtmpPort + "/live/" + name;
    }

    /** The admin API token run.sh generated ({@code $SM_LOG_DIR/admin-token}). */
    String adminToken() throws IOException {
        return Files.readString(logDir.resolve("admin-token")).strip();
    }

    /** RestAssured pointed at composition's API with the admin token. */
    RequestSpecification api() {
        try {
            return RestAssured.given().baseUri(compositionUrl()).header("Authorization", "Bearer " + adminToken());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PIDs run.sh recorded for its children, one {@code process=pid} a line ({@code $SM_LOG_DIR/pids}). */
    Map<String, Long> servicePids() throws IOException {
        Map<String, Long> pids = new java.util.TreeMap<>();
        readPairs("pids").forEach((name, pid) -> pids.put(name, Long.parseLong(pid)));
        return pids;
    }

    /** The endpoints run.sh started, {@code name=url} a line ({@code $SM_LOG_DIR/endpoints}). */
    Map<String, String> endpoints() throws IOException {
        return readPairs("endpoints");
    }

    private Map<String, String> readPairs(String fileName) throws IOException {
        Map<String, String> pairs = new java.util.TreeMap<>();
        Path file = logDir.resolve(fileName);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    pairs.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
        }
        return pairs;
    }

    @Override
    public void close() {
        Map<String, Long> children;
        try {
            children = servicePids();
        } catch (IOException e) {
            children = Map.of();
        }
        process.destroy(); // SIGTERM: run.sh stops its children by PID
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (long pid : children.values()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        deleteTree(shmDir);
        deleteTree(logDir);
    }

    static Path repositoryRoot() {
        String root = System.getProperty("stream-manager.root");
        Path path = root != null ? Paths.get(root) : Paths.get("..");
        return path.toAbsolutePath().normalize();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
