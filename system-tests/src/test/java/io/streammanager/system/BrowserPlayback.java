package io.streammanager.system;

import com.sun.net.httpserver.HttpServer;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays live FLV URLs in Debian's headless Chromium with mpegts.js, the way a web page does, and returns what each
 * {@code <video>} reported every 500 ms. The page, the driver script and the pinned npm packages are the gateway's
 * ({@code rtmp-gateway/src/test/web}); the packages (mpegts.js, playwright-core, which is only pointed at
 * /usr/bin/chromium and never downloads a browser) are installed at test time into
 * {@code ~/.cache/stream-manager/web-test} and reused while their versions match. The page is served from a port of
 * its own, so the gateway's cross-origin answers are exercised.
 */
final class BrowserPlayback {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    /** One sample of a {@code <video>}: what the page's {@code window.playback.sample()} returned. */
    record Sample(double currentTime, int totalVideoFrames, int width, int height, List<String> errors) {
    }

    /** Per source URL: whether the browser can play H.264 through MSE, and the samples in order. */
    record Result(Map<String, Boolean> h264, Map<String, List<Sample>> samples, String output) {
    }

    private BrowserPlayback() {
    }

    static Result play(Path workDir, int seconds, Duration limit, String... sources) throws IOException, InterruptedException {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new AssertionError(CHROMIUM + " is missing: run build/install-test-tools.sh (Debian package chromium)");
        }
        Path web = LocalStack.repositoryRoot().resolve("rtmp-gateway/src/test/web");
        Path modules = nodeModules(web, workDir);
        Map<String, Path> files = Map.of("/player.html", web.resolve("player.html"),
                "/mpegts.js", modules.resolve("mpegts.js/dist/mpegts.js"));
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
        Path profile = Files.createDirectories(workDir.resolve("profile")).toAbsolutePath();
        Path tmp = Files.createDirectories(workDir.resolve("tmp")).toAbsolutePath();
        Path log = workDir.resolve("chromium.log");
        List<String> command = new ArrayList<>(List.of("node", web.resolve("play.js").toString(), CHROMIUM.toString(),
                profile.toString(), "http://127.0.0.1:" + server.getAddress().getPort() + "/player.html",
                Integer.toString(seconds), Long.toString(limit.toSeconds())));
        command.addAll(List.of(sources));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("WEB_TEST_MODULES", modules.toString());
        builder.environment().put("TMPDIR", tmp.toString());
        Process process = builder.start();
        try {
            if (!process.waitFor(limit.toSeconds() + 60, TimeUnit.SECONDS)) {
                throw new AssertionError("the browser run did not end:\n" + Files.readString(log));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError("the browser run failed (exit " + process.exitValue() + "):\n" + output);
            }
            return parse(output, sources);
        } finally {
            stop(process);
            server.stop(0);
            // nothing of this browser may outlive the test: no process with its profile on its command line
            List<ProcessHandle> left = ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                    .map(args -> String.join(" ", args).contains(profile.toString())).orElse(false)).toList();
            left.forEach(ProcessHandle::destroyForcibly);
            if (!left.isEmpty()) {
                throw new AssertionError("browser processes left behind: " + left.stream().map(ProcessHandle::pid).toList());
            }
        }
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
            if (!line.startsWith("{\"source\"")) {
                continue;
            }
            JsonPath json = JsonPath.from(line);
            String source = json.getString("source");
            if (json.get("capabilities") != null) {
                h264.put(source, json.getBoolean("capabilities.mse") && json.getBoolean("capabilities.h264"));
            } else if (json.get("totalVideoFrames") != null && samples.containsKey(source)) {
                samples.get(source).add(new Sample(json.getDouble("currentTime"), json.getInt("totalVideoFrames"),
                        json.getInt("width"), json.getInt("height"), json.getList("errors", String.class)));
            }
        }
        return new Result(h264, samples, output);
    }

    private static synchronized Path nodeModules(Path web, Path workDir) throws IOException, InterruptedException {
        Path cache = Files.createDirectories(Path.of(System.getProperty("user.home"), ".cache", "stream-manager", "web-test"));
        Path modules = cache.resolve("node_modules");
        Map<String, String> pins = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\"([a-z.@/-]+)\"\\s*:\\s*\"(\\d+\\.\\d+\\.\\d+)\"")
                .matcher(Files.readString(web.resolve("package.json")).replaceAll("(?s).*\"dependencies\"\\s*:", ""));
        while (m.find()) {
            pins.put(m.group(1), m.group(2));
        }
        if (installed(modules, pins)) {
            return modules;
        }
        Files.copy(web.resolve("package.json"), cache.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(web.resolve(".npmrc"), cache.resolve(".npmrc"), StandardCopyOption.REPLACE_EXISTING);
        Path log = workDir.resolve("npm-install.log");
        Process npm = new ProcessBuilder("npm", "install", "--no-package-lock", "--no-audit", "--no-fund")
                .directory(cache.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!npm.waitFor(5, TimeUnit.MINUTES)) {
            stop(npm);
            throw new AssertionError("npm install did not finish within 5 minutes:\n" + Files.readString(log));
        }
        if (npm.exitValue() != 0 || !installed(modules, pins)) {
            throw new AssertionError("npm install of " + pins + " failed:\n" + Files.readString(log));
        }
        return modules;
    }

    private static boolean installed(Path modules, Map<String, String> pins) throws IOException {
        for (var pin : pins.entrySet()) {
            Path packageJson = modules.resolve(pin.getKey()).resolve("package.json");
            if (!Files.isRegularFile(packageJson)
                    || !Files.readString(packageJson).contains("\"version\": \"" + pin.getValue() + "\"")) {
                return false;
            }
        }
        return true;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
