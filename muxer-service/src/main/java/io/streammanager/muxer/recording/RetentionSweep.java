package io.streammanager.muxer.recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Retention: deletes finished part files older than {@code maxAge}, then the oldest finished parts while all parts
 * together exceed {@code maxBytes}; a part still being written is never touched. A recording whose parts are all gone
 * and which no longer runs is removed with its metadata. Bounded: at most {@link #MAX_DELETES} files per sweep.
 */
public final class RetentionSweep {
    private static final Logger LOG = Logger.getLogger(RetentionSweep.class);
    static final int MAX_DELETES = 1000;

    private final RecordingStore store;
    private final Duration maxAge;
    private final long maxBytes;

    public RetentionSweep(RecordingStore store, Duration maxAge, long maxBytes) {
        this.store = store;
        this.maxAge = maxAge;
        this.maxBytes = maxBytes;
    }

    private record Part(Path path, long bytes, Instant modified) {
    }

    /**
     * @param running true for a recording directory some output is writing to (its newest part is being written)
     * @return the number of part files deleted
     */
    public int sweep(Predicate<Path> running) {
        List<Part> parts = new ArrayList<>();
        for (Path path : store.allParts()) {
            try {
                parts.add(new Part(path, Files.size(path), Files.getLastModifiedTime(path).toInstant()));
            } catch (IOException e) {
                // deleted meanwhile
            }
        }
        parts.sort(Comparator.comparing(Part::modified).thenComparing(Part::path));
        List<Path> writing = new ArrayList<>();
        for (Part part : parts) {
            Path dir = part.path().getParent();
            if (running.test(dir)) {
                // the newest part of a running recording is the one being written
                List<Path> ofDir = parts.stream().map(Part::path).filter(p -> p.getParent().equals(dir)).toList();
                writing.add(ofDir.getLast());
            }
        }
        long total = parts.stream().mapToLong(Part::bytes).sum();
        Instant oldest = Instant.now().minus(maxAge);
        int deleted = 0;
        List<Path> touchedDirs = new ArrayList<>();
        for (Part part : parts) {
            if (deleted >= MAX_DELETES) {
                break;
            }
            if (writing.contains(part.path())) {
                continue;
            }
            boolean tooOld = part.modified().isBefore(oldest);
            boolean overBudget = total > maxBytes;
            if (!tooOld && !overBudget) {
                continue;
            }
            try {
                Files.deleteIfExists(part.path());
                total -= part.bytes();
                deleted++;
                touchedDirs.add(part.path().getParent());
                LOG.infof("recording part %s deleted (%s)", store.root().relativize(part.path()),
                        tooOld ? "older than " + maxAge : "over " + maxBytes + " bytes in all");
            } catch (IOException e) {
                LOG.warnf("recording part %s not deleted: %s", part.path(), e.getMessage());
            }
        }
        for (Path dir : touchedDirs.stream().distinct().toList()) {
            String recordingId = dir.getFileName().toString();
            String streamId = dir.getParent().getFileName().toString();
            if (!running.test(dir) && store.parts(streamId, recordingId).isEmpty()) {
                store.delete(streamId, recordingId);
            }
        }
        return deleted;
    }
}
