package io.streammanager.bus.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Plays live FLV URLs (HTTP-FLV or WebSocket-FLV) in Debian's headless Chromium with mpegts.js, or LL-HLS master
 * playlists with hls.js ({@link #playHls}), the way a web page does, and returns what each {@code <video>} reported
 * every 500 ms. Shared by the gateway's browser test and the
 * system test that plays the demo.
 *
 * <p>The pages ({@code player.html}, {@code hls.html}), the driver ({@code play.js}, playwright-core pointed at
 * /usr/bin/chromium: it never downloads a browser) and the pinned npm packages ({@code package.json}: mpegts.js,
 * hls.js, playwright-core) are
 * resources next to this class. The packages are installed at test time into {@code ~/.cache/stream-manager/web-test}
 * (or {@code -Dweb.test.cache=DIR}) and reused while the installed versions match the pins. The page is served from a
 * port of its own on 127.0.0.1, so the gateway's cross-origin answers are exercised. Every process started here is
 * stopped before {@link #play} returns, and a browser left behind fails the call.
 */
public final class BrowserPlayback {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String RESOURCES = "web/";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One sample of a {@code <video>}: what the page's {@code window.playback.sample()} returned; {@code raw} holds
     * the whole sample, with the page's own fields (hls.html: level, switches, latencyMs).
     */
    public record Sample(double currentTime, int totalVideoFrames, int width, int height, List<String> errors,
                         JsonNode raw) {
    }

    /** Per source URL: whether the browser can play H.264 through MSE, and the samples in order; all it printed. */
    public record Result(Map<String, Boolean> h264, Map<String, List<Sample>> samples, String output) {
    }

    private BrowserPlayback() {
    }

    /**
     * Opens one page per source at once and samples each until it played {@code seconds} or {@code limit} passed.
     * {@code whileRunning} runs every 200 ms while the browser does (e.g. to look at the server's sessions).
     */
    public static Result play(Path workDir, int seconds, Duration limit, Runnable whileRunning, String... sources)
            throws IOException, InterruptedException {
        return run("player.html", "mpegts.js", "mpegts.js/dist/mpegts.js", workDir, seconds, limit, whileRunning,
                sources);
    }

    /**
     * Plays LL-HLS master playlists the same way with hls.js in low-latency mode ({@code hls.html}): each page forces
     * one level switch after 3 s of playback and reports its level, the LEVEL_SWITCHED events and the glass-to-glass
     * latency (now minus {@code hls.playingDate}) in every sample's {@link Sample#raw()}. {@code currentTime} counts
     * from the first frame shown, as a live HLS player starts at the live edge.
     */
    public static Result playHls(Path workDir, int seconds, Duration limit, Runnable whileRunning, String... masters)
            throws IOException, InterruptedException {
        return run("hls.html", "hls.js", "hls.js/dist/hls.js", workDir, seconds, limit, whileRunning, masters);
    }

    private static Result run(String pageName, String scriptName, String scriptModule, Path workDir, int seconds,
                              Duration limit, Runnable whileRunning, String... sources)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new AssertionError(CHROMIUM + " is missing: run build/install-test-tools.sh (Debian package chromium)");
        }
        Files.createDirectories(workDir);
        Path modules = nodeModules(workDir);
        Path page = extract(pageName, workDir);
        Path driver = extract("play.js", workDir);
        Map<String, Path> files = Map.of("/" + pageName, page, "/" + scriptName, modules.resolve(scriptModule));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", exchange -> {
            try (exchange) {
                Path file = files.get(exchange.getRequestURI().getPath());
                if (file == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = Files.readAllBytes(file);
                exchange.getResponseHeaders().add("Content-Type",
                        file.toString().endsWith(".html") ? "text/html; charset=utf-8" : "text/javascript");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        Path profile = Files.createDirectories(workDir.resolve("profile-" + System.nanoTime())).toAbsolutePath();
        // Chromium's singleton socket lives in TMPDIR, and a Unix socket path must stay under 108 bytes
        // (TMPDIR/smcNNN/org.chromium.Chromium.XXXXXX/SingletonSocket): a short directory of our own, deleted below,
        // under /tmp when the build's temporary directory (target/ of a checkout) is too deep for that
        Path tmpBase = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        Path tmp = Files.createTempDirectory(tmpBase.toString().length() <= 40 ? tmpBase : Path.of("/tmp"), "smc");
        Path log = workDir.resolve("chromium.log");
        List<String> command = new ArrayList<>(List.of("node", driver.toAbsolutePath().toString(), CHROMIUM.toString(),
                profile.toString(), "http://127.0.0.1:" + server.getAddress().getPort() + "/" + pageName,
                Integer.toString(seconds), Long.toString(limit.toSeconds())));
        command.addAll(List.of(sources));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("WEB_TEST_MODULES", modules.toAbsolutePath().toString());
        builder.environment().put("TMPDIR", tmp.toString());
        Process process = builder.start();
        try {
            long deadline = System.nanoTime() + limit.plusSeconds(60).toNanos();
            while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the browser run did not end:\n" + Files.readString(log));
                }
                whileRunning.run();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError("the browser run failed (exit " + process.exitValue() + "):\n" + output);
            }
            return parse(output, sources);
        } finally {
            stop(process);
            server.stop(0);
            // nothing of this browser may outlive the call: no process with its profile on its command line
            List<ProcessHandle> left = ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                    .map(args -> String.join(" ", args).contains(profile.toString())).orElse(false)).toList();
            left.forEach(ProcessHandle::destroyForcibly);
            deleteTree(profile);
            deleteTree(tmp);
            if (!left.isEmpty()) {
                throw new AssertionError("browser processes left behind: " + left.stream().map(ProcessHandle::pid).toList());
            }
        }
    }

    /**
     * Asserts that {@code source} played the way a viewer needs: H.264 through MSE, frames decoded, playback past
     * {@code seconds} at {@code width}x{@code height} with no player error, and over the second half of the run
     * frames kept coming at no less than 20 per second of playback (the streams are 30 fps).
     */
    public static void assertPlayed(Result result, String source, int seconds, int width, int height, String context) {
        String where = source + "\nbrowser said:\n" + result.output() + context;
        assertEquals(Boolean.TRUE, result.h264().get(source), "Chromium must play H.264 through MSE: " + where);
        List<Sample> samples = result.samples().get(source);
        assertTrue(samples != null && samples.size() >= 2, "samples " + samples + ": " + where);
        Sample last = samples.getLast();
        assertTrue(samples.stream().anyMatch(s -> s.totalVideoFrames() > 0), "no frame decoded: " + where);
        assertEquals(List.of(), last.errors(), where);
        assertTrue(last.currentTime() >= seconds, "played " + last.currentTime() + " s: " + where);
        assertEquals(width, last.width(), where);
        assertEquals(height, last.height(), where);
        Sample middle = samples.get(samples.size() / 2);
        double played = last.currentTime() - middle.currentTime();
        int decoded = last.totalVideoFrames() - middle.totalVideoFrames();
        assertTrue(played >= 1.5 && decoded >= played * 20, "decoded " + decoded + " frames over " + played + " s: " + where);
    }

    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: playwright closes the browser it launched
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static Result parse(String output, String... sources) {
        Map<String, Boolean> h264 = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        for (String source : sources) {
            samples.put(source, new ArrayList<>());
        }
        for (String line : output.split("\n")) {
            JsonNode node = json(line);
            if (node == null || !samples.containsKey(node.path("source").asText())) {
                continue;
            }
            String source = node.get("source").asText();
            if (node.has("capabilities")) {
                JsonNode capabilities = node.get("capabilities");
                h264.put(source, capabilities.path("mse").asBoolean() && capabilities.path("h264").asBoolean());
            } else if (node.has("totalVideoFrames")) {
                List<String> errors = new ArrayList<>();
                node.path("errors").forEach(error -> errors.add(error.asText()));
                samples.get(source).add(new Sample(node.path("currentTime").asDouble(),
                        node.path("totalVideoFrames").asInt(), node.path("width").asInt(), node.path("height").asInt(),
                        errors, node));
            }
        }
        return new Result(h264, samples, output);
    }

    private static JsonNode json(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    /** The node_modules directory holding the pinned packages, installing them first when missing or different. */
    private static synchronized Path nodeModules(Path workDir) throws IOException, InterruptedException {
        String configured = System.getProperty("web.test.cache");
        Path cache = Files.createDirectories(configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "stream-manager", "web-test"));
        Path modules = cache.resolve("node_modules");
        Path packageJson = extract("package.json", cache);
        Map<String, String> pins = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = JSON.readTree(packageJson.toFile()).get("dependencies").fields(); it.hasNext(); ) {
            var entry = it.next();
            pins.put(entry.getKey(), entry.getValue().asText());
        }
        if (installed(modules, pins)) {
            return modules;
        }
        Path log = workDir.resolve("npm-install.log");
        // no lock file: nothing written here names a registry
        Process npm = new ProcessBuilder("npm", "install", "--no-package-lock", "--no-audit", "--no-fund")
                .directory(cache.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!npm.waitFor(5, TimeUnit.MINUTES)) {
                throw new AssertionError("npm install did not finish within 5 minutes:\n" + Files.readString(log));
            }
        } finally {
            stop(npm);
        }
        if (npm.exitValue() != 0 || !installed(modules, pins)) {
            throw new AssertionError("npm install of " + pins + " into " + cache + " failed:\n" + Files.readString(log));
        }
        return modules;
    }

    private static boolean installed(Path modules, Map<String, String> pins) throws IOException {
        for (var pin : pins.entrySet()) {
            Path packageJson = modules.resolve(pin.getKey()).resolve("package.json");
            if (!Files.isRegularFile(packageJson)
                    || !pin.getValue().equals(JSON.readTree(packageJson.toFile()).path("version").asText())) {
                return false;
            }
        }
        return true;
    }

    /** Copies one of this class's web resources into {@code dir}. */
    private static Path extract(String name, Path dir) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = BrowserPlayback.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + RESOURCES + name + " next to " + BrowserPlayback.class);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
