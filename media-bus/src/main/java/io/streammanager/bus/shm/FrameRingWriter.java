package io.streammanager.bus.shm;

import static io.streammanager.bus.shm.FrameRingDescriptor.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The single producer of a frame ring. It never waits for readers: {@link #claim()} hands out the next slot's
 * pixels (render in place), {@link #publish(long, long)} stamps and publishes them. The same writer produces a PCM
 * ring ({@link #create(Path, PcmGeometry, int)}): claim the slot's sample buffer, fill it, then
 * {@link #publishSamples(long, long, int)}.
 *
 * <p>Starting on an existing ring file reuses it in place (same inode, readers keep their mapping) with the
 * producer generation bumped, so readers see {@link FrameRingReader#GENERATION_CHANGED}. Not thread-safe: one
 * owning thread.
 */
public final class FrameRingWriter implements AutoCloseable {

    private final Path file;
    private final MappedRingFile mapped;
    private final MemorySegment segment;
    private final FrameGeometry geometry;
    private final PcmGeometry pcm;
    private final int payloadBytes;
    private final int mediaKind;
    private final int slotCount;
    private final long[] slotOffsets;
    private final MemorySegment[] slotPixels;
    private final long generation;
    private final long frameDurationUs;
    private long nextSequence;
    private boolean claimed;
    private boolean closed;

    private FrameRingWriter(Path file, MappedRingFile mapped, FrameGeometry geometry, PcmGeometry pcm,
                            int slotCount, long generation, long nextSequence) {
        this.file = file;
        this.mapped = mapped;
        this.segment = mapped.segment();
        this.geometry = geometry;
        this.pcm = pcm;
        this.mediaKind = geometry != null ? KIND_VIDEO : KIND_AUDIO_PCM;
        this.payloadBytes = payloadBytes(geometry, pcm);
        this.slotCount = slotCount;
        this.generation = generation;
        this.nextSequence = nextSequence;
        this.frameDurationUs = geometry != null ? geometry.frameDurationUs() : 0;
        int slotLength = slotLength(payloadBytes);
        this.slotOffsets = new long[slotCount];
        this.slotPixels = new MemorySegment[slotCount];
        for (int i = 0; i < slotCount; i++) {
            slotOffsets[i] = slotOffset(i, slotLength);
            slotPixels[i] = segment.asSlice(slotOffsets[i] + SLOT_HEADER_LENGTH, payloadBytes);
        }
    }

    private static int payloadBytes(FrameGeometry geometry, PcmGeometry pcm) {
        return geometry != null ? geometry.frameBytes() : pcm.slotPayloadBytes();
    }

    /**
     * Creates the ring file (and its directory), or takes over an existing one in place with generation + 1.
     * The file is visible to readers once this returns (ready flag written last).
     */
    public static FrameRingWriter create(Path file, FrameGeometry geometry, int slotCount) {
        return create(file, Objects.requireNonNull(geometry, "geometry"), null, slotCount);
    }

    /**
     * Creates (or takes over) a PCM ring: same file layout and seqlock as a frame ring, with {@code mediaKind}
     * {@link FrameRingDescriptor#KIND_AUDIO_PCM} and the audio fields of the geometry line set.
     */
    public static FrameRingWriter create(Path file, PcmGeometry pcm, int slotCount) {
        return create(file, null, Objects.requireNonNull(pcm, "pcm"), slotCount);
    }

    private static FrameRingWriter create(Path file, FrameGeometry geometry, PcmGeometry pcm, int slotCount) {
        Objects.requireNonNull(file, "file");
        checkSlotCount(slotCount);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create ring directory: file=" + file, e);
        }
        long required = fileLength(payloadBytes(geometry, pcm), slotCount);
        long previousGeneration = 0;
        long previousSequence = 0;
        long size = required;
        MappedRingFile previous = MappedRingFile.mapReadOnlyIfPresent(file, HEADER_LENGTH);
        if (previous != null) {
            try (previous) {
                MemorySegment header = previous.segment();
                boolean ours = Ordered.getLong(header, MAGIC_OFFSET) == MAGIC
                        && Ordered.getInt(header, LAYOUT_VERSION_OFFSET) == LAYOUT_VERSION;
                if (ours) {
                    previousGeneration = Ordered.getLongVolatile(header, PRODUCER_GENERATION_OFFSET);
                    previousSequence = Ordered.getLongVolatile(header, WRITE_SEQUENCE_OFFSET);
                    // never shrink a file readers may have mapped: touching a page past the end kills them
                    size = Math.max(required, previous.size());
                }
            }
            if (previousGeneration == 0) {
                deleteQuietly(file);
            }
        }
        MappedRingFile mapped = MappedRingFile.mapReadWrite(file, size);
        try {
            MemorySegment header = mapped.segment();
            // readers stop trusting the header from here until ready is set again
            Ordered.setIntVolatile(header, READY_OFFSET, HeaderLayout.NOT_READY);
            long generation = previousGeneration + 1;
            Ordered.setLongVolatile(header, PRODUCER_GENERATION_OFFSET, generation);
            Ordered.putLong(header, MAGIC_OFFSET, MAGIC);
            Ordered.putInt(header, LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
            Ordered.putInt(header, HEADER_LENGTH_OFFSET, HEADER_LENGTH);
            Ordered.putLong(header, PRODUCER_PID_OFFSET, ProcessHandle.current().pid());
            if (geometry != null) {
                writeGeometry(header, geometry, slotCount);
            } else {
                writeGeometry(header, pcm, slotCount);
            }
            Ordered.putLong(header, WRITE_SEQUENCE_OFFSET, previousSequence);
            Ordered.putLong(header, GENERATION_START_SEQUENCE_OFFSET, previousSequence);
            long nowMs = System.currentTimeMillis();
            Ordered.putLong(header, PRODUCER_START_EPOCH_MS_OFFSET, nowMs);
            Ordered.putLong(header, PRODUCER_HEARTBEAT_MS_OFFSET, nowMs);
            Ordered.setIntRelease(header, READY_OFFSET, HeaderLayout.READY);
            return new FrameRingWriter(file, mapped, geometry, pcm, slotCount, generation, previousSequence);
        } catch (RuntimeException e) {
            mapped.close();
            throw e;
        }
    }

    private static void writeGeometry(MemorySegment header, FrameGeometry geometry, int slotCount) {
        Ordered.putInt(header, MEDIA_KIND_OFFSET, KIND_VIDEO);
        Ordered.putInt(header, WIDTH_OFFSET, geometry.width());
        Ordered.putInt(header, HEIGHT_OFFSET, geometry.height());
        Ordered.putInt(header, PIXEL_FORMAT_OFFSET, geometry.pixelFormat().code());
        Ordered.putInt(header, FPS_OFFSET, geometry.fps());
        Ordered.putInt(header, FRAME_BYTES_OFFSET, geometry.frameBytes());
        Ordered.putInt(header, SLOT_COUNT_OFFSET, slotCount);
        Ordered.putInt(header, SLOT_LENGTH_OFFSET, slotLength(geometry.frameBytes()));
        Ordered.putInt(header, SLOT_HEADER_LENGTH_OFFSET, SLOT_HEADER_LENGTH);
        Ordered.putInt(header, SAMPLE_RATE_OFFSET, 0);
        Ordered.putInt(header, CHANNELS_OFFSET, 0);
        Ordered.putInt(header, SAMPLE_FORMAT_OFFSET, 0);
        Ordered.putInt(header, PLANE_COUNT_OFFSET, geometry.planeCount());
        for (int plane = 0; plane < MAX_PLANES; plane++) {
            boolean present = plane < geometry.planeCount();
            Ordered.putInt(header, planeStrideOffset(plane), present ? geometry.planeStride(plane) : 0);
            Ordered.putInt(header, planeOffsetOffset(plane), present ? (int) geometry.planeOffset(plane) : 0);
            Ordered.putInt(header, planeHeightOffset(plane), present ? geometry.planeHeight(plane) : 0);
        }
    }

    private static void writeGeometry(MemorySegment header, PcmGeometry pcm, int slotCount) {
        Ordered.putInt(header, MEDIA_KIND_OFFSET, KIND_AUDIO_PCM);
        Ordered.putInt(header, WIDTH_OFFSET, 0);
        Ordered.putInt(header, HEIGHT_OFFSET, 0);
        Ordered.putInt(header, PIXEL_FORMAT_OFFSET, 0);
        Ordered.putInt(header, FPS_OFFSET, 0);
        Ordered.putInt(header, FRAME_BYTES_OFFSET, pcm.slotPayloadBytes());
        Ordered.putInt(header, SLOT_COUNT_OFFSET, slotCount);
        Ordered.putInt(header, SLOT_LENGTH_OFFSET, slotLength(pcm.slotPayloadBytes()));
        Ordered.putInt(header, SLOT_HEADER_LENGTH_OFFSET, SLOT_HEADER_LENGTH);
        Ordered.putInt(header, SAMPLE_RATE_OFFSET, pcm.sampleRate());
        Ordered.putInt(header, CHANNELS_OFFSET, pcm.channels());
        Ordered.putInt(header, SAMPLE_FORMAT_OFFSET, PcmGeometry.SAMPLE_FORMAT_S16);
        Ordered.putInt(header, PLANE_COUNT_OFFSET, 1);
        for (int plane = 0; plane < MAX_PLANES; plane++) {
            Ordered.putInt(header, planeStrideOffset(plane), plane == 0 ? pcm.bytesPerSampleFrame() : 0);
            Ordered.putInt(header, planeOffsetOffset(plane), 0);
            Ordered.putInt(header, planeHeightOffset(plane), 0);
        }
    }

    /**
     * The next slot's pixels, exactly {@code frameBytes} long. Marks the slot "writing" so readers still holding
     * its previous frame see it torn. Calling again before {@link #publish} returns the same slot.
     */
    public MemorySegment claim() {
        int slot = (int) (nextSequence % slotCount);
        if (!claimed) {
            Ordered.setLongRelease(segment, slotOffsets[slot] + SLOT_STAMP_OFFSET, writingStamp(nextSequence));
            // the odd stamp must be visible before any pixel store of the new frame
            Ordered.storeStoreFence();
            claimed = true;
        }
        return slotPixels[slot];
    }

    /** Publishes the claimed slot of a frame ring; returns the frame's sequence. */
    public long publish(long ptsUs, long captureEpochUs) {
        if (mediaKind != KIND_VIDEO) {
            throw new IllegalStateException("publish on a PCM ring, use publishSamples: file=" + file);
        }
        return publishSlot(ptsUs, captureEpochUs, frameDurationUs, geometry.frameBytes(), 0);
    }

    /**
     * Publishes the claimed slot of a PCM ring holding {@code sampleCount} sample frames from its start; returns
     * the slot's sequence. Its duration is {@code sampleCount} at the ring's rate.
     */
    public long publishSamples(long ptsUs, long captureEpochUs, int sampleCount) {
        if (mediaKind != KIND_AUDIO_PCM) {
            throw new IllegalStateException("publishSamples on a frame ring, use publish: file=" + file);
        }
        if (sampleCount < 0 || sampleCount > pcm.maxSamplesPerSlot()) {
            throw new IllegalArgumentException("sample count out of range: sampleCount=" + sampleCount
                    + " max=" + pcm.maxSamplesPerSlot() + " file=" + file);
        }
        return publishSlot(ptsUs, captureEpochUs, pcm.durationUs(sampleCount),
                sampleCount * pcm.bytesPerSampleFrame(), sampleCount);
    }

    private long publishSlot(long ptsUs, long captureEpochUs, long durationUs, int payloadLength, int sampleCount) {
        if (!claimed) {
            throw new IllegalStateException("publish without claim: file=" + file + " sequence=" + nextSequence);
        }
        long sequence = nextSequence;
        long slotOffset = slotOffsets[(int) (sequence % slotCount)];
        Ordered.putLong(segment, slotOffset + SLOT_PTS_US_OFFSET, ptsUs);
        Ordered.putLong(segment, slotOffset + SLOT_CAPTURE_EPOCH_US_OFFSET, captureEpochUs);
        Ordered.putLong(segment, slotOffset + SLOT_DURATION_US_OFFSET, durationUs);
        Ordered.putInt(segment, slotOffset + SLOT_FRAME_KIND_OFFSET, mediaKind);
        Ordered.putInt(segment, slotOffset + SLOT_FORMAT_OFFSET,
                geometry != null ? geometry.pixelFormat().code() : PcmGeometry.SAMPLE_FORMAT_S16);
        Ordered.putInt(segment, slotOffset + SLOT_PAYLOAD_LENGTH_OFFSET, payloadLength);
        Ordered.putInt(segment, slotOffset + SLOT_SAMPLE_COUNT_OFFSET, sampleCount);
        Ordered.setLongRelease(segment, slotOffset + SLOT_STAMP_OFFSET, completeStamp(sequence));
        Ordered.setLongRelease(segment, WRITE_SEQUENCE_OFFSET, sequence + 1);
        nextSequence = sequence + 1;
        claimed = false;
        heartbeat();
        return sequence;
    }

    /** Proves the producer is alive; {@link #publish} beats too, call this when not producing. */
    public void heartbeat() {
        Ordered.setLongRelease(segment, PRODUCER_HEARTBEAT_MS_OFFSET, System.currentTimeMillis());
    }

    public long generation() {
        return generation;
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

    /** The sequence the next {@link #publish} will return. */
    public long nextSequence() {
        return nextSequence;
    }

    public Path file() {
        return file;
    }

    /** Unmaps; the file stays, so a restarted producer can take it over and readers notice the new generation. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            mapped.close();
        }
    }

    /** Marks the ring not ready (readers stop waiting on it), unmaps and deletes the file. */
    public void closeAndDelete() {
        if (!closed) {
            Ordered.setIntVolatile(segment, READY_OFFSET, HeaderLayout.NOT_READY);
        }
        close();
        deleteQuietly(file);
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete ring file: file=" + file, e);
        }
    }
}
