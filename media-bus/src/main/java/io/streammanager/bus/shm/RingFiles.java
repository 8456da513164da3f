package io.streammanager.bus.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where a stream's ring files live: {@code <shmRoot>/<streamId>/frames.ring}, {@code audio.ring} (the PCM mix, one
 * slot per video frame) and {@code packets.ring}.
 */
public final class RingFiles {

    public static final String FRAME_RING_FILE = "frames.ring";
    public static final String PCM_RING_FILE = "audio.ring";
    public static final String PACKET_RING_FILE = "packets.ring";

    /** Stream ids become directory names: no separators, no dot-dot, nothing a shell would trip on. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private RingFiles() {
    }

    public static Path streamDir(Path shmRoot, String streamId) {
        if (streamId == null || !SAFE_ID.matcher(streamId).matches() || streamId.contains("..")) {
            throw new IllegalArgumentException("streamId not usable as a directory name: streamId=" + streamId);
        }
        return shmRoot.resolve(streamId);
    }

    public static Path frameRing(Path shmRoot, String streamId) {
        return streamDir(shmRoot, streamId).resolve(FRAME_RING_FILE);
    }

    public static Path pcmRing(Path shmRoot, String streamId) {
        return streamDir(shmRoot, streamId).resolve(PCM_RING_FILE);
    }

    public static Path packetRing(Path shmRoot, String streamId) {
        return streamDir(shmRoot, streamId).resolve(PACKET_RING_FILE);
    }

    /** Removes the stream directory if no ring file is left in it; returns whether it is gone. */
    public static boolean deleteStreamDirIfEmpty(Path shmRoot, String streamId) {
        Path dir = streamDir(shmRoot, streamId);
        try {
            Files.deleteIfExists(dir);
            return true;
        } catch (DirectoryNotEmptyException e) {
            return false;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete stream dir: dir=" + dir, e);
        }
    }
}
