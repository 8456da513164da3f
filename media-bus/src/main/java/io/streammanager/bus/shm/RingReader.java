package io.streammanager.bus.shm;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * What every ring reader does the same way, whatever the ring holds: open a file once it is ready, notice that
 * the producer restarted (a new generation in the same mapping, or a file replaced on disk) and bind again, wait
 * with {@link Backoff}, and report the producer's liveness. A subclass reads its own header in {@link #bind} and
 * its own records in its poll method. Not thread-safe: one owning thread.
 */
abstract sealed class RingReader implements AutoCloseable permits FrameRingReader, PacketRingReader {

    /** A poll result: nothing new yet. Subclasses publish the same value under their own name. */
    static final int NOTHING = 0;
    /** A poll result: the producer restarted or replaced the file. */
    static final int GENERATION_CHANGED = 2;

    /** A producer this quiet, or a ring not ready, makes the reader check whether the file was replaced. */
    static final long STALE_PRODUCER_MS = 1_000;
    static final long REPLACEMENT_CHECK_INTERVAL_NS = 50_000_000;

    private final Path file;
    private final HeaderLayout layout;
    private final Backoff backoff = new Backoff();
    /** The mapping this reader owns; replaced (and the old one closed) only by {@link #remap}. */
    MappedRingFile mapped;
    MemorySegment segment;
    long generation;
    /** Counts binds, so a view taken before a rebind is recognisably stale. */
    int binding;
    private long lastReplacementCheckNs;

    RingReader(Path file, HeaderLayout layout) {
        this.file = file;
        this.layout = layout;
    }

    /**
     * Reads the header of a ready mapping and positions this reader in its current generation; on success it
     * sets {@link #mapped}, {@link #segment} and {@link #generation} and increments {@link #binding}. Returns false
     * if the producer restarted while the header was read (try again later); throws IllegalStateException or
     * IllegalArgumentException for a header that can never be used.
     */
    abstract boolean bind(MappedRingFile candidate);

    /** The file length the header in {@code header} needs; larger than the mapping means map the file again. */
    abstract long requiredFileLength(MemorySegment header);

    /** Waits for the file and its ready flag and binds; throws {@link RingUnavailableException} after {@code readyTimeout}. */
    static <R extends RingReader> R open(R opening, Duration readyTimeout) {
        RingReader reader = opening;
        long deadlineNs = System.nanoTime() + readyTimeout.toNanos();
        while (true) {
            Duration remaining = Duration.ofNanos(Math.max(0, deadlineNs - System.nanoTime()));
            MappedRingFile candidate = MappedRingFile.awaitReady(reader.file, remaining, reader.layout);
            try {
                if (reader.bind(candidate)) {
                    return opening;
                }
            } catch (IllegalStateException | IllegalArgumentException e) {
                candidate.close();
                throw new RingUnavailableException(reader.file, reader.layout.ringKind() + " ring unusable: file="
                        + reader.file + " " + e.getMessage(), e);
            }
            // the producer restarted while we read the header: try again within the same timeout
            candidate.close();
        }
    }

    /** True when the producer's generation differs from the one this reader is bound to. */
    final boolean generationMoved() {
        return Ordered.getLongAcquire(segment, layout.generationOffset()) != generation;
    }

    /** Called when {@link #generationMoved()}: binds to the new generation, in place or in a fresh mapping. */
    final int rebindInPlace() {
        if (Ordered.getIntAcquire(segment, layout.readyOffset()) != HeaderLayout.READY) {
            return NOTHING;
        }
        if (requiredFileLength(segment) > mapped.size()) {
            return remap(); // the new producer grew the file
        }
        try {
            return bind(mapped) ? GENERATION_CHANGED : NOTHING;
        } catch (IllegalStateException | IllegalArgumentException e) {
            return NOTHING;
        }
    }

    /**
     * Called when the ring has nothing new: while the producer is alive that is all; when it went quiet or marked
     * the ring not ready, checks (at most every 50 ms) whether the file was replaced on disk and binds to the new one.
     */
    final int nothingNew() {
        boolean ready = Ordered.getIntAcquire(segment, layout.readyOffset()) == HeaderLayout.READY;
        if (ready && producerHeartbeatAgeMs() < STALE_PRODUCER_MS) {
            return NOTHING;
        }
        long now = System.nanoTime();
        if (now - lastReplacementCheckNs < REPLACEMENT_CHECK_INTERVAL_NS) {
            return NOTHING;
        }
        lastReplacementCheckNs = now;
        return mapped.replacedOnDisk() ? remap() : NOTHING;
    }

    private int remap() {
        MappedRingFile fresh;
        try {
            fresh = MappedRingFile.tryOpenReady(file, layout);
        } catch (RingUnavailableException e) {
            return NOTHING;
        }
        if (fresh == null) {
            return NOTHING;
        }
        MappedRingFile old = mapped;
        try {
            if (!bind(fresh)) {
                fresh.close();
                return NOTHING;
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            fresh.close();
            return NOTHING;
        }
        if (old != fresh) {
            old.close();
        }
        return GENERATION_CHANGED;
    }

    /** Polls until {@code poll} returns something other than {@link #NOTHING} or {@code timeoutNs} passes. */
    final int awaitNext(IntSupplier poll, long timeoutNs) {
        long deadline = System.nanoTime() + timeoutNs;
        backoff.reset();
        while (true) {
            int result = poll.getAsInt();
            if (result != NOTHING) {
                return result;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return NOTHING;
            }
            backoff.idle(remaining);
        }
    }

    public long generation() {
        return generation;
    }

    public long producerHeartbeatAgeMs() {
        return System.currentTimeMillis() - Ordered.getLongAcquire(segment, layout.heartbeatMsOffset());
    }

    public long producerPid() {
        return Ordered.getLong(segment, layout.producerPidOffset());
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        mapped.close();
    }
}
