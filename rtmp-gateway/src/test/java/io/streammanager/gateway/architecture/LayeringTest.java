package io.streammanager.gateway.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The protocol is a library in layers: handshake -> chunk -> message -> amf0 -> session, each importing only the
 * layers below it, and no protocol package (nor flv) touching I/O, Redis, Quarkus, FFmpeg or the application.
 */
class LayeringTest {

    private static final Path ROOT = Path.of("src/main/java/io/streammanager/gateway");
    private static final List<String> LAYERS = List.of("handshake", "chunk", "message", "amf0", "session");
    private static final List<String> FORBIDDEN_EVERYWHERE = List.of("io.vertx", "io.quarkus", "jakarta.", "io.smallrye",
            "io.streammanager.bus", "io.micrometer", "io.streammanager.gateway.server", "io.streammanager.gateway.relay",
            "io.streammanager.gateway.auth", "io.streammanager.gateway.config", "java.net.Socket", "java.nio.channels",
            "io.streammanager.ffmpeg", "org.bytedeco");

    private static List<String> violations(Path packageDir, List<String> forbidden) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(packageDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("import ") && forbidden.stream().anyMatch(line::contains)) {
                        found.add(packageDir.relativize(file) + ": " + line);
                    }
                }
            }
        }
        return found;
    }

    @Test
    void eachProtocolLayerImportsOnlyTheLayersBelowIt() throws IOException {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < LAYERS.size(); i++) {
            List<String> forbidden = new ArrayList<>(FORBIDDEN_EVERYWHERE);
            for (String above : LAYERS.subList(i + 1, LAYERS.size())) {
                forbidden.add("io.streammanager.gateway.rtmp." + above + ".");
            }
            found.addAll(violations(ROOT.resolve("rtmp").resolve(LAYERS.get(i)), forbidden));
        }
        assertEquals(List.of(), found);
    }

    @Test
    void flvFramingIsPureToo() throws IOException {
        List<String> forbidden = new ArrayList<>(FORBIDDEN_EVERYWHERE);
        forbidden.add("io.streammanager.gateway.rtmp.session");
        assertEquals(List.of(), violations(ROOT.resolve("flv"), forbidden));
    }
}
