package io.streammanager.muxer.recording;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The recordings on disk: {@code <root>/<streamId>/<recordingId>/recording.json} beside the parts
 * {@code part-<UTC start>.mp4} (or {@code .webm}), named so that name order is time order. The files are the truth:
 * nothing else needs to survive a restart.
 */
public final class RecordingStore {
    static final String META = "recording.json";
    /** Stream and recording ids become directory names: nothing that could climb out of the root. */
    static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final DateTimeFormatter PART_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path root;
    private final ObjectMapper json;

    public RecordingStore(Path root, ObjectMapper json) {
        this.root = root.toAbsolutePath().normalize();
        this.json = json;
    }

    public Path root() {
        return root;
    }

    static boolean safeId(String id) {
        return id != null && SAFE_ID.matcher(id).matches();
    }

    Path dir(String streamId, String recordingId) {
        if (!safeId(streamId) || !safeId(recordingId)) {
            throw new IllegalArgumentException("unsafe recording path " + streamId + "/" + recordingId);
        }
        return root.resolve(streamId).resolve(recordingId);
    }

    /** A new part file's path (not created), named by its start time. */
    Path newPart(String streamId, String recordingId, String format, Instant start) {
        Path dir = dir(streamId, recordingId);
        Path part = dir.resolve("part-" + PART_TIME.format(start) + "." + format);
        // two parts in one millisecond (a reconnect at once): keep both
        for (int n = 1; Files.exists(part); n++) {
            part = dir.resolve("part-" + PART_TIME.format(start) + "-" + n + "." + format);
        }
        return part;
    }

    /** Writes the metadata atomically (temp file, then rename), so a crash leaves the old or the new one. */
    void save(RecordingMeta meta) {
        Path dir = dir(meta.streamId(), meta.id());
        try {
            Files.createDirectories(dir);
            // one temp file per thread: the output's thread and an API call may save at once
            Path temp = dir.resolve(META + "." + Thread.currentThread().threadId() + ".tmp");
            Files.write(temp, json.writeValueAsBytes(meta));
            try {
                Files.move(temp, dir.resolve(META), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, dir.resolve(META), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("save " + dir.resolve(META), e);
        }
    }

    Optional<RecordingMeta> load(String streamId, String recordingId) {
        if (!safeId(streamId) || !safeId(recordingId)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(dir(streamId, recordingId).resolve(META).toFile(), RecordingMeta.class));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("read recording " + streamId + "/" + recordingId, e);
        }
    }

    /** The stream's recordings, oldest first. */
    List<RecordingMeta> list(String streamId) {
        List<RecordingMeta> found = new ArrayList<>();
        if (!safeId(streamId) || !Files.isDirectory(root.resolve(streamId))) {
            return found;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root.resolve(streamId))) {
            for (Path dir : dirs) {
                load(streamId, dir.getFileName().toString()).ifPresent(found::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("list recordings of " + streamId, e);
        }
        found.sort(Comparator.comparing(RecordingMeta::startedAt));
        return found;
    }

    /** A recording's part files in time order. */
    List<Path> parts(String streamId, String recordingId) {
        Path dir = dir(streamId, recordingId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(RecordingStore::isPart).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("list parts of " + dir, e);
        }
    }

    /** Every part under the root, for the retention sweep. */
    List<Path> allParts() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.find(root, 3, (path, attributes) -> attributes.isRegularFile()
                && isPart(path))) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("list recordings under " + root, e);
        }
    }

    static boolean isPart(Path path) {
        String name = path.getFileName().toString();
        return name.startsWith("part-") && (name.endsWith(".mp4") || name.endsWith(".webm"));
    }

    /** Removes the recording's directory and everything in it; false if it was not there. */
    boolean delete(String streamId, String recordingId) {
        Path dir = dir(streamId, recordingId);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("delete " + dir, e);
        }
        return true;
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // deleted meanwhile
        }
    }
}
