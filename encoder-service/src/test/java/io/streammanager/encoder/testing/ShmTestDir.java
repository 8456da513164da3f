package io.streammanager.encoder.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A fresh directory under /dev/shm (tmpfs, like production), deleted with everything in it on close. */
public final class ShmTestDir implements AutoCloseable {

    private final Path path;

    private ShmTestDir(Path path) {
        this.path = path;
    }

    public static ShmTestDir create() {
        try {
            Path root = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(
                    System.getProperty("java.io.tmpdir"));
            return new ShmTestDir(Files.createTempDirectory(root, "sm-encoder-test-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
