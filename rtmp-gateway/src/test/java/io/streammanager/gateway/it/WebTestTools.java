package io.streammanager.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The browser test's tools: Debian's Chromium (build/install-test-tools.sh installs it) and the npm packages pinned in
 * src/test/web/package.json (mpegts.js, playwright-core), installed at test time into a cache directory outside the
 * repository, {@code ~/.cache/stream-manager/web-test} (or {@code -Dweb.test.cache=DIR}), and reused while the
 * installed versions match the pins. playwright-core never downloads a browser: it is only pointed at Chromium.
 */
final class WebTestTools {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path WEB_SOURCES = Path.of("src", "test", "web");
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebTestTools() {
    }

    static Path cacheDir() {
        String configured = System.getProperty("web.test.cache");
        return configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "stream-manager", "web-test");
    }

    static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new AssertionError(CHROMIUM + " is missing: run build/install-test-tools.sh (Debian package chromium)");
        }
    }

    /** The node_modules directory holding the pinned packages, installing them first when missing or different. */
    static synchronized Path nodeModules(Path logDir) throws IOException, InterruptedException {
        Path cache = Files.createDirectories(cacheDir());
        Path modules = cache.resolve("node_modules");
        Map<String, String> pins = pinnedVersions(WEB_SOURCES.resolve("package.json"));
        if (installed(modules, pins)) {
            return modules;
        }
        Files.copy(WEB_SOURCES.resolve("package.json"), cache.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(WEB_SOURCES.resolve(".npmrc"), cache.resolve(".npmrc"), StandardCopyOption.REPLACE_EXISTING);
        try (ExternalProcess npm = ExternalProcess.start("npm-install", logDir, cache,
                List.of("npm", "install", "--no-package-lock", "--no-audit", "--no-fund"))) {
            if (!npm.waitFor(Duration.ofMinutes(5))) {
                throw new AssertionError("npm install did not finish within 5 minutes: " + npm.tail());
            }
            if (npm.exitCode() != 0 || !installed(modules, pins)) {
                throw new AssertionError("npm install of " + pins + " into " + cache + " failed: " + npm.tail());
            }
        }
        return modules;
    }

    private static Map<String, String> pinnedVersions(Path packageJson) throws IOException {
        JsonNode dependencies = JSON.readTree(packageJson.toFile()).get("dependencies");
        Map<String, String> pins = new java.util.TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = dependencies.fields(); it.hasNext(); ) {
            var entry = it.next();
            pins.put(entry.getKey(), entry.getValue().asText());
        }
        return pins;
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

    static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }
}
