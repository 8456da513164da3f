package io.streammanager.bus.shm;

import static io.streammanager.bus.shm.FrameRingDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One reader of a frame ring. Gets frames in order, in place; one that fell a whole ring behind jumps to the
 * newest frame and counts what it skipped in {@link #lostFrames()}. Not thread-safe: one owning thread.
 */
public final class FrameRingReader implements AutoCloseable {

    /** {@link #poll}: nothing new yet. */
    public static final int NOTHING = 0;
    /** {@link #poll}: the view holds the next frame. */
    public static final int FRAME = 1;
    /**
     * {@link #poll}: the producer restarted (or replaced the file); {@link #geometry()} may differ, views from
     * before are invalid. The next poll delivers frames of the new generation.
     */
    public static final int GENERATION_CHANGED = 2;

    /** A producer this quiet, or a ring not ready, makes the reader check whether the file was replaced. */
    static final long STALE_PRODUCER_MS = 1_000;
    static final long REPLACEMENT_CHECK_INTERVAL_NS = 50_000_000;

    private final Path file;
    private final Backoff backoff = new Backoff();
    private MappedRingFile mapped;
    private MemorySegment segment;
    private FrameGeometry geometry;
    private int slotCount;
    private long[] slotOffsets;
    private MemorySegment[] slotPixels;
    private long generation;
    private int binding;
    private long nextSequence;
    private long lostFrames;
    private long tornFrames;
    private long lastReplacementCheckNs;

    private FrameRingReader(Path file) {
        this.file = file;
    }

    /** Waits for the file and its ready flag; throws {@link RingUnavailableException} after {@code readyTimeout}. */
    public static FrameRingReader open(Path file, Duration readyTimeout) {
        Objects.requireNonNull(file, "file");
        FrameRingReader reader = new FrameRingReader(file);
        long deadlineNs = System.nanoTime() + readyTimeout.toNanos();
        while (true) {
            Duration remaining = Duration.ofNanos(Math.max(0, deadlineNs - System.nanoTime()));
            MappedRingFile mapped = MappedRingFile.awaitReady(file, remaining, HEADER);
            try {
                if (reader.bind(mapped)) {
                    return reader;
                }
            } catch (IllegalStateException | IllegalArgumentException e) {
                mapped.close();
                throw new RingUnavailableException(file, "frame ring unusable: file=" + file + " " + e.getMessage(), e);
            }
            // the producer restarted while we read the header: try again within the same timeout
            mapped.close();
        }
    }

    /**
     * Reads the header of a ready mapping and positions at the newest frame of the current generation.
     * Returns false if the producer restarted while we read (try again later).
     */
    private boolean bind(MappedRingFile candidate) {
        MemorySegment header = candidate.segment();
        long gen = Ordered.getLongAcquire(header, PRODUCER_GENERATION_OFFSET);
        if (Ordered.getIntAcquire(header, READY_OFFSET) != HeaderLayout.READY) {
            return false;
        }
        checkVersion(Ordered.getInt(header, LAYOUT_VERSION_OFFSET));
        int width = Ordered.getInt(header, WIDTH_OFFSET);
        int height = Ordered.getInt(header, HEIGHT_OFFSET);
        int format = Ordered.getInt(header, PIXEL_FORMAT_OFFSET);
        int fps = Ordered.getInt(header, FPS_OFFSET);
        int frameBytes = Ordered.getInt(header, FRAME_BYTES_OFFSET);
        int slots = Ordered.getInt(header, SLOT_COUNT_OFFSET);
        int slotLength = Ordered.getInt(header, SLOT_LENGTH_OFFSET);
        long startSequence = Ordered.getLong(header, GENERATION_START_SEQUENCE_OFFSET);
        Ordered.loadLoadFence();
        if (Ordered.getLongVolatile(header, PRODUCER_GENERATION_OFFSET) != gen
                || Ordered.getIntAcquire(header, READY_OFFSET) != HeaderLayout.READY) {
            return false;
        }
        FrameGeometry newGeometry = new FrameGeometry(width, height, PixelFormat.fromCode(format), fps);
        if (newGeometry.frameBytes() != frameBytes) {
            throw new IllegalStateException("frame ring geometry inconsistent: frameBytes=" + frameBytes
                    + " expected=" + newGeometry.frameBytes() + " geometry=" + newGeometry);
        }
        checkCapacity(candidate.size(), frameBytes, slots, slotLength);

        long[] offsets = new long[slots];
        MemorySegment[] pixels = new MemorySegment[slots];
        for (int i = 0; i < slots; i++) {
            offsets[i] = slotOffset(i, slotLength);
            pixels[i] = header.asSlice(offsets[i] + SLOT_HEADER_LENGTH, frameBytes);
        }
        this.mapped = candidate;
        this.segment = header;
        this.geometry = newGeometry;
        this.slotCount = slots;
        this.slotOffsets = offsets;
        this.slotPixels = pixels;
        this.generation = gen;
        this.binding++;
        long writeSequence = Ordered.getLongAcquire(header, WRITE_SEQUENCE_OFFSET);
        this.nextSequence = Math.max(startSequence, writeSequence - 1);
        return true;
    }

    /** Fills {@code view} with the next frame if there is one; returns {@link #FRAME}, {@link #NOTHING} or {@link #GENERATION_CHANGED}. */
    public int poll(FrameView view) {
        if (Ordered.getLongAcquire(segment, PRODUCER_GENERATION_OFFSET) != generation) {
            return rebindInPlace();
        }
        while (true) {
            long writeSequence = Ordered.getLongAcquire(segment, WRITE_SEQUENCE_OFFSET);
            if (nextSequence >= writeSequence) {
                return nothingNew();
            }
            if (writeSequence - nextSequence >= slotCount) {
                // the producer may already be rewriting our slot: skip to the newest complete frame
                skipTo(writeSequence - 1);
            }
            long sequence = nextSequence;
            int slot = (int) (sequence % slotCount);
            long slotOffset = slotOffsets[slot];
            long expected = completeStamp(sequence);
            long stamp = Ordered.getLongAcquire(segment, slotOffset + SLOT_STAMP_OFFSET);
            if (stamp != expected) {
                // overwritten between our read of writeSequence and of the stamp: lapped, go again from newest
                skipTo(Math.max(sequence + 1, Ordered.getLongAcquire(segment, WRITE_SEQUENCE_OFFSET) - 1));
                continue;
            }
            long ptsUs = Ordered.getLong(segment, slotOffset + SLOT_PTS_US_OFFSET);
            long captureEpochUs = Ordered.getLong(segment, slotOffset + SLOT_CAPTURE_EPOCH_US_OFFSET);
            long durationUs = Ordered.getLong(segment, slotOffset + SLOT_DURATION_US_OFFSET);
            view.wrap(sequence, ptsUs, captureEpochUs, durationUs, slotPixels[slot],
                    slotOffset + SLOT_STAMP_OFFSET, expected, binding);
            nextSequence = sequence + 1;
            return FRAME;
        }
    }

    private void skipTo(long sequence) {
        if (sequence > nextSequence) {
            lostFrames += sequence - nextSequence;
            nextSequence = sequence;
        }
    }

    /**
     * Polls until a frame or a generation change arrives or {@code timeoutNs} passes: spins a few microseconds,
     * then parks in growing steps (50 us to 1 ms).
     */
    public int await(FrameView view, long timeoutNs) {
        long deadline = System.nanoTime() + timeoutNs;
        backoff.reset();
        while (true) {
            int result = poll(view);
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

    /**
     * Call after using a view's pixels (and pts): true if the producer did not touch the slot meanwhile. False
     * means the data you read may be a mix of two frames: drop it (it is counted in {@link #tornFrames()}).
     */
    public boolean stillValid(FrameView view) {
        if (view.binding() != binding) {
            tornFrames++;
            return false;
        }
        Ordered.loadLoadFence();
        if (Ordered.getLongVolatile(segment, view.stampOffset()) == view.expectedStamp()) {
            return true;
        }
        tornFrames++;
        return false;
    }

    private int rebindInPlace() {
        if (Ordered.getIntAcquire(segment, READY_OFFSET) != HeaderLayout.READY) {
            return NOTHING;
        }
        long required = requiredFileLength(segment);
        if (required > mapped.size()) {
            // the new producer grew the file: map it again
            return remap();
        }
        try {
            return bind(mapped) ? GENERATION_CHANGED : NOTHING;
        } catch (IllegalStateException | IllegalArgumentException e) {
            return NOTHING;
        }
    }

    private static long requiredFileLength(MemorySegment header) {
        int slots = Ordered.getInt(header, SLOT_COUNT_OFFSET);
        int slotLength = Ordered.getInt(header, SLOT_LENGTH_OFFSET);
        return HEADER_LENGTH + (long) slots * slotLength;
    }

    private int nothingNew() {
        boolean notReady = Ordered.getIntAcquire(segment, READY_OFFSET) != HeaderLayout.READY;
        if (!notReady && producerHeartbeatAgeMs() < STALE_PRODUCER_MS) {
            return NOTHING;
        }
        long now = System.nanoTime();
        if (now - lastReplacementCheckNs < REPLACEMENT_CHECK_INTERVAL_NS) {
            return NOTHING;
        }
        lastReplacementCheckNs = now;
        if (!mapped.replacedOnDisk()) {
            return NOTHING;
        }
        return remap();
    }

    private int remap() {
        MappedRingFile fresh;
        try {
            fresh = MappedRingFile.tryOpenReady(file, HEADER);
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
        old.close();
        return GENERATION_CHANGED;
    }

    public FrameGeometry geometry() {
        return geometry;
    }

    public int slotCount() {
        return slotCount;
    }

    /** Frames skipped because this reader fell a whole ring behind (or was overtaken while reading). */
    public long lostFrames() {
        return lostFrames;
    }

    /** Frames that {@link #stillValid} rejected. */
    public long tornFrames() {
        return tornFrames;
    }

    public long generation() {
        return generation;
    }

    /** The sequence the next delivered frame will have at the earliest. */
    public long nextSequence() {
        return nextSequence;
    }

    /** The producer's count of published frames (the sequence its next frame will get). */
    public long writeSequence() {
        return Ordered.getLongAcquire(segment, WRITE_SEQUENCE_OFFSET);
    }

    /** Frames published but not yet delivered to this reader (at most a ring's worth is really there). */
    public long backlog() {
        return Math.max(0, writeSequence() - nextSequence);
    }

    public long producerHeartbeatAgeMs() {
        return System.currentTimeMillis() - Ordered.getLongAcquire(segment, PRODUCER_HEARTBEAT_MS_OFFSET);
    }

    public long producerPid() {
        return Ordered.getLong(segment, PRODUCER_PID_OFFSET);
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        mapped.close();
    }
}
