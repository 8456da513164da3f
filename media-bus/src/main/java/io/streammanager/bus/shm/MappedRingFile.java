package io.streammanager.bus.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/** One mapping of a ring file, owned by a shared arena so it can be closed from any thread. */
final class MappedRingFile implements AutoCloseable {

    private final Path path;
    private final Arena arena;
    private final MemorySegment segment;
    private final Object fileKey;

    private MappedRingFile(Path path, Arena arena, MemorySegment segment, Object fileKey) {
        this.path = path;
        this.arena = arena;
        this.segment = segment;
        this.fileKey = fileKey;
    }

    /** Maps {@code size} bytes read-write, creating or extending the file as needed (never shrinking it). */
    static MappedRingFile mapReadWrite(Path path, long size) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MemorySegment segment = channel.map(MapMode.READ_WRITE, 0, size, arena);
            return new MappedRingFile(path, arena, segment, fileKey(path));
        } catch (IOException | RuntimeException e) {
            arena.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot map ring file: file=" + path + " size=" + size, io);
            }
            throw (RuntimeException) e;
        }
    }

    /** Maps the whole file read-only; returns null if the file is missing or shorter than {@code minSize}. */
    static MappedRingFile mapReadOnlyIfPresent(Path path, long minSize) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < minSize) {
                arena.close();
                return null;
            }
            MemorySegment segment = channel.map(MapMode.READ_ONLY, 0, size, arena);
            return new MappedRingFile(path, arena, segment, fileKey(path));
        } catch (NoSuchFileException e) {
            arena.close();
            return null;
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot map ring file: file=" + path, e);
        }
    }

    /**
     * Waits until {@code path} holds a ring of the given kind whose producer has set the ready flag, and maps it
     * read-only. Parks between checks; a file of another kind or layout version fails at once.
     */
    static MappedRingFile awaitReady(Path path, Duration timeout, HeaderLayout layout) {
        long startNs = System.nanoTime();
        long timeoutNs = timeout.toNanos();
        long parkNs = 200_000;
        String state = "missing";
        while (true) {
            MappedRingFile mapped = tryOpenReady(path, layout);
            if (mapped != null) {
                return mapped;
            }
            state = Files.exists(path) ? "not ready" : "missing";
            long waitedNs = System.nanoTime() - startNs;
            if (waitedNs >= timeoutNs) {
                throw RingUnavailableException.timedOut(path, Duration.ofNanos(waitedNs), state);
            }
            LockSupport.parkNanos(Math.min(parkNs, timeoutNs - waitedNs));
            parkNs = Math.min(parkNs * 2, 10_000_000);
        }
    }

    /** One non-blocking attempt of {@link #awaitReady}: the mapping if ready now, else null. */
    static MappedRingFile tryOpenReady(Path path, HeaderLayout layout) {
        MappedRingFile mapped = mapReadOnlyIfPresent(path, layout.headerLength());
        if (mapped == null) {
            return null;
        }
        try {
            MemorySegment header = mapped.segment();
            if (Ordered.getIntAcquire(header, layout.readyOffset()) != HeaderLayout.READY) {
                mapped.close();
                return null;
            }
            long magic = Ordered.getLong(header, layout.magicOffset());
            if (magic != layout.magic()) {
                throw new RingUnavailableException(path, "not a " + layout.ringKind() + " ring: file=" + path
                        + " magic=0x" + Long.toHexString(magic) + " expected=0x" + Long.toHexString(layout.magic()));
            }
            int version = Ordered.getInt(header, layout.layoutVersionOffset());
            if (version != layout.layoutVersion()) {
                throw new RingUnavailableException(path, layout.ringKind() + " ring layout version mismatch: file="
                        + path + " layoutVersion=" + version + " expected=" + layout.layoutVersion());
            }
            return mapped;
        } catch (RuntimeException e) {
            mapped.close();
            throw e;
        }
    }

    /** Whether the path now names another file than this mapping (the producer replaced it). */
    boolean replacedOnDisk() {
        Object current = fileKey(path);
        return current != null && !Objects.equals(current, fileKey);
    }

    static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    Path path() {
        return path;
    }

    MemorySegment segment() {
        return segment;
    }

    long size() {
        return segment.byteSize();
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
