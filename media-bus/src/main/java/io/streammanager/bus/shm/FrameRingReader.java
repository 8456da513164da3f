package io.streammanager.bus.shm;

import static io.streammanager.bus.shm.FrameRingDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One reader of a frame ring. Gets frames in order, in place; one that fell a whole ring behind jumps to the
 * newest frame and counts what it skipped in {@link #lostFrames()}. Not thread-safe: one owning thread.
 *
 * <p>A PCM ring is read the same way ({@link #pcm()} instead of {@link #geometry()}; a view's
 * {@link FrameView#sampleCount()} says how many sample frames its payload holds).
 */
public final class FrameRingReader extends RingReader {

    /** {@link #poll}: nothing new yet. */
    public static final int NOTHING = RingReader.NOTHING;
    /** {@link #poll}: the view holds the next frame. */
    public static final int FRAME = 1;
    /**
     * {@link #poll}: the producer restarted (or replaced the file); {@link #geometry()} may differ, views from
     * before are invalid. The next poll delivers frames of the new generation.
     */
    public static final int GENERATION_CHANGED = RingReader.GENERATION_CHANGED;

    private FrameGeometry geometry;
    private PcmGeometry pcm;
    private int slotCount;
    private long[] slotOffsets;
    private MemorySegment[] slotPixels;
    private long nextSequence;
    private long lostFrames;
    private long tornFrames;

    private FrameRingReader(Path file) {
        super(file, HEADER);
    }

    /** Waits for the file and its ready flag; throws {@link RingUnavailableException} after {@code readyTimeout}. */
    public static FrameRingReader open(Path file, Duration readyTimeout) {
        return RingReader.open(new FrameRingReader(Objects.requireNonNull(file, "file")), readyTimeout);
    }

    /**
     * Reads the header of a ready mapping and positions at the newest frame of the current generation.
     * Returns false if the producer restarted while we read (try again later).
     */
    @Override
    boolean bind(MappedRingFile candidate) {
        MemorySegment header = candidate.segment();
        long gen = Ordered.getLongAcquire(header, PRODUCER_GENERATION_OFFSET);
        if (Ordered.getIntAcquire(header, READY_OFFSET) != HeaderLayout.READY) {
            return false;
        }
        checkVersion(Ordered.getInt(header, LAYOUT_VERSION_OFFSET));
        int mediaKind = Ordered.getInt(header, MEDIA_KIND_OFFSET);
        int width = Ordered.getInt(header, WIDTH_OFFSET);
        int height = Ordered.getInt(header, HEIGHT_OFFSET);
        int format = Ordered.getInt(header, PIXEL_FORMAT_OFFSET);
        int fps = Ordered.getInt(header, FPS_OFFSET);
        int frameBytes = Ordered.getInt(header, FRAME_BYTES_OFFSET);
        int slots = Ordered.getInt(header, SLOT_COUNT_OFFSET);
        int slotLength = Ordered.getInt(header, SLOT_LENGTH_OFFSET);
        int sampleRate = Ordered.getInt(header, SAMPLE_RATE_OFFSET);
        int channels = Ordered.getInt(header, CHANNELS_OFFSET);
        int sampleFormat = Ordered.getInt(header, SAMPLE_FORMAT_OFFSET);
        long startSequence = Ordered.getLong(header, GENERATION_START_SEQUENCE_OFFSET);
        Ordered.loadLoadFence();
        if (Ordered.getLongVolatile(header, PRODUCER_GENERATION_OFFSET) != gen
                || Ordered.getIntAcquire(header, READY_OFFSET) != HeaderLayout.READY) {
            return false;
        }
        FrameGeometry newGeometry = null;
        PcmGeometry newPcm = null;
        if (mediaKind == KIND_AUDIO_PCM) {
            if (sampleFormat != PcmGeometry.SAMPLE_FORMAT_S16) {
                throw new IllegalStateException("PCM ring sample format unknown: sampleFormat=" + sampleFormat
                        + " expected=" + PcmGeometry.SAMPLE_FORMAT_S16);
            }
            int perSlot = frameBytes / (channels * PcmGeometry.BYTES_PER_SAMPLE);
            newPcm = new PcmGeometry(sampleRate, channels, perSlot);
            if (newPcm.slotPayloadBytes() != frameBytes) {
                throw new IllegalStateException("PCM ring geometry inconsistent: frameBytes=" + frameBytes
                        + " expected=" + newPcm.slotPayloadBytes() + " geometry=" + newPcm);
            }
        } else if (mediaKind == KIND_VIDEO) {
            newGeometry = new FrameGeometry(width, height, PixelFormat.fromCode(format), fps);
            if (newGeometry.frameBytes() != frameBytes) {
                throw new IllegalStateException("frame ring geometry inconsistent: frameBytes=" + frameBytes
                        + " expected=" + newGeometry.frameBytes() + " geometry=" + newGeometry);
            }
        } else {
            throw new IllegalStateException("frame ring media kind unknown: mediaKind=" + mediaKind + " expected="
                    + KIND_VIDEO + " or " + KIND_AUDIO_PCM);
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
        this.pcm = newPcm;
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
        if (generationMoved()) {
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
            int sampleCount = pcm == null ? 0
                    : Math.clamp(Ordered.getInt(segment, slotOffset + SLOT_SAMPLE_COUNT_OFFSET), 0,
                            pcm.maxSamplesPerSlot());
            view.wrap(sequence, ptsUs, captureEpochUs, durationUs, slotPixels[slot], sampleCount,
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
        return awaitNext(() -> poll(view), timeoutNs);
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

    @Override
    long requiredFileLength(MemorySegment header) {
        int slots = Ordered.getInt(header, SLOT_COUNT_OFFSET);
        int slotLength = Ordered.getInt(header, SLOT_LENGTH_OFFSET);
        return HEADER_LENGTH + (long) slots * slotLength;
    }

    /** The frames' geometry; null for a PCM ring. */
    public FrameGeometry geometry() {
        return geometry;
    }

    /** The samples' geometry; null for a frame ring. */
    public PcmGeometry pcm() {
        return pcm;
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
}
