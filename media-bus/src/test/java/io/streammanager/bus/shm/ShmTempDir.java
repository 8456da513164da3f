package io.streammanager.bus.shm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * {@code @TempDir(factory = ShmTempDir.class)}: ring tests map their files where production does, on tmpfs under
 * /dev/shm, not on a disk-backed temporary directory whose page writeback can stall a writer touching a mapped page.
 * JUnit deletes the directory after the test as with any temporary directory. Falls back to the default temporary
 * directory where /dev/shm is missing.
 */
public final class ShmTempDir implements TempDirFactory {

    private static final Path SHM = Path.of("/dev/shm");

    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws IOException {
        if (Files.isDirectory(SHM) && Files.isWritable(SHM)) {
            return Files.createTempDirectory(SHM, "sm-test-");
        }
        return Files.createTempDirectory("sm-test-");
    }
}
