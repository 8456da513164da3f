package io.streammanager.muxer.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention over real files: the oldest parts go first, a part being written never. */
class RetentionSweepTest {
    @TempDir
    Path root;

    private RecordingStore store() {
        return new RecordingStore(root, new ObjectMapper());
    }

    private Path part(String stream, String recording, String name, int bytes, Instant modified) throws Exception {
        RecordingStore store = store();
        if (store.load(stream, recording).isEmpty()) {
            store.save(new RecordingMeta(recording, stream, "main", "mp4", modified.toString(), null, null, 0));
        }
        Path file = store.dir(stream, recording).resolve("part-" + name + ".mp4");
        Files.write(file, new byte[bytes]);
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    @Test
    void theOldestPartsBeyondMaxBytesAreDeletedAndAnEmptyFinishedRecordingWithThem() throws Exception {
        Instant now = Instant.now();
        Path oldest = part("s1", "a", "1", 400, now.minusSeconds(400));
        Path older = part("s1", "a", "2", 400, now.minusSeconds(300));
        Path middle = part("s2", "b", "1", 400, now.minusSeconds(200));
        Path newest = part("s2", "b", "2", 400, now.minusSeconds(100));

        int deleted = new RetentionSweep(store(), Duration.ofDays(1), 1000).sweep(dir -> false);

        assertEquals(2, deleted);
        assertFalse(Files.exists(oldest));
        assertFalse(Files.exists(older));
        assertTrue(Files.exists(middle) && Files.exists(newest), "800 bytes are within 1000");
        assertTrue(store().load("s1", "a").isEmpty(), "recording a had no part left: removed with its metadata");
        assertTrue(store().load("s2", "b").isPresent());
    }

    @Test
    void partsOlderThanMaxAgeGoButNeverThePartARunningRecordingWrites() throws Exception {
        Instant now = Instant.now();
        Path finished = part("s1", "live", "1", 10, now.minus(Duration.ofHours(3)));
        Path writing = part("s1", "live", "2", 10, now.minus(Duration.ofHours(2)));
        Path other = part("s1", "done", "1", 10, now.minus(Duration.ofHours(2)));

        int deleted = new RetentionSweep(store(), Duration.ofHours(1), Long.MAX_VALUE)
                .sweep(dir -> dir.getFileName().toString().equals("live"));

        assertEquals(2, deleted);
        assertFalse(Files.exists(finished));
        assertFalse(Files.exists(other));
        assertTrue(Files.exists(writing), "the running recording's newest part is being written");
        assertTrue(store().load("s1", "live").isPresent());
    }
}
