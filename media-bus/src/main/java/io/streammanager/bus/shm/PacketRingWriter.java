package io.streammanager.bus.shm;

import static io.streammanager.bus.shm.PacketRingDescriptor.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The single producer of a packet ring: appends variable-length records and never waits for readers (slow ones are
 * lapped and resynchronise). Starting on an existing file reuses it in place with generation + 1.
 * Not thread-safe: one owning thread.
 *
 * <p>Size the ring to hold at least two GOPs: a lapped reader resynchronises at a codec config still in the ring,
 * and if a whole GOP does not fit it has to wait for the next one.
 */
public final class PacketRingWriter implements AutoCloseable {

    private final Path file;
    private final MappedRingFile mapped;
    private final MemorySegment segment;
    private final int capacity;
    private final int maxPayloadLength;
    private final long generation;
    private long tail;
    private long nextRecordSequence;
    /** Between beginRecord and commitRecord: where the record being written starts, and its length. */
    private long pendingPosition;
    private int pendingRecordLength;
    private boolean closed;

    private PacketRingWriter(Path file, MappedRingFile mapped, int capacity, long generation, long tail,
                             long nextRecordSequence) {
        this.file = file;
        this.mapped = mapped;
        this.segment = mapped.segment();
        this.capacity = capacity;
        this.maxPayloadLength = PacketRingDescriptor.maxPayloadLength(capacity);
        this.generation = generation;
        this.tail = tail;
        this.nextRecordSequence = nextRecordSequence;
    }

    /**
     * Creates the ring file with a data area of {@code capacityBytes} (a power of two), or takes over an existing
     * one in place with generation + 1. Visible to readers once this returns (ready written last).
     */
    public static PacketRingWriter create(Path file, int capacityBytes) {
        Objects.requireNonNull(file, "file");
        checkCapacity(capacityBytes);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create ring directory: file=" + file, e);
        }
        long required = fileLength(capacityBytes);
        long size = required;
        long previousGeneration = 0;
        long previousTail = 0;
        long previousSequence = 0;
        MappedRingFile previous = MappedRingFile.mapReadOnlyIfPresent(file, HEADER_LENGTH);
        if (previous != null) {
            try (previous) {
                MemorySegment header = previous.segment();
                if (Ordered.getLong(header, MAGIC_OFFSET) == MAGIC
                        && Ordered.getInt(header, LAYOUT_VERSION_OFFSET) == LAYOUT_VERSION) {
                    previousGeneration = Ordered.getLongVolatile(header, PRODUCER_GENERATION_OFFSET);
                    previousTail = Ordered.getLongVolatile(header, TAIL_INTENT_OFFSET);
                    previousSequence = Ordered.getLongVolatile(header, NEXT_RECORD_SEQUENCE_OFFSET);
                    size = Math.max(required, previous.size());
                }
            }
            if (previousGeneration == 0) {
                FrameRingWriter.deleteQuietly(file);
            }
        }
        // start the new generation a whole lap past the old tail, on a lap boundary: no stale record in the data
        // area can carry a position stamp the new generation will use
        long startPosition = previousTail == 0 ? 0 : (previousTail + 2L * capacityBytes) & -(long) capacityBytes;
        MappedRingFile mapped = MappedRingFile.mapReadWrite(file, size);
        try {
            MemorySegment header = mapped.segment();
            Ordered.setIntVolatile(header, READY_OFFSET, HeaderLayout.NOT_READY);
            long generation = previousGeneration + 1;
            Ordered.setLongVolatile(header, PRODUCER_GENERATION_OFFSET, generation);
            Ordered.putLong(header, MAGIC_OFFSET, MAGIC);
            Ordered.putInt(header, LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
            Ordered.putInt(header, HEADER_LENGTH_OFFSET, HEADER_LENGTH);
            Ordered.putLong(header, PRODUCER_PID_OFFSET, ProcessHandle.current().pid());
            Ordered.putInt(header, CAPACITY_OFFSET, capacityBytes);
            Ordered.putInt(header, RECORD_HEADER_LENGTH_OFFSET, RECORD_HEADER_LENGTH);
            Ordered.putInt(header, MAX_RECORD_LENGTH_OFFSET, maxRecordLength(capacityBytes));
            Ordered.putLong(header, GENERATION_START_POSITION_OFFSET, startPosition);
            Ordered.setLongVolatile(header, TAIL_INTENT_OFFSET, startPosition);
            Ordered.setLongVolatile(header, TAIL_OFFSET, startPosition);
            Ordered.putLong(header, NEWEST_CODEC_CONFIG_POSITION_OFFSET, NO_POSITION);
            for (int i = 0; i < CODEC_CONFIG_TABLE_ENTRIES; i++) {
                Ordered.putLong(header, codecConfigTableEntryOffset(i), NO_POSITION);
            }
            Ordered.putLong(header, NEXT_RECORD_SEQUENCE_OFFSET, previousSequence);
            long nowMs = System.currentTimeMillis();
            Ordered.putLong(header, PRODUCER_START_EPOCH_MS_OFFSET, nowMs);
            Ordered.putLong(header, PRODUCER_HEARTBEAT_MS_OFFSET, nowMs);
            Ordered.setIntRelease(header, READY_OFFSET, HeaderLayout.READY);
            return new PacketRingWriter(file, mapped, capacityBytes, generation, startPosition, previousSequence);
        } catch (RuntimeException e) {
            mapped.close();
            throw e;
        }
    }

    /**
     * Appends one record and publishes it; returns its sequence. A payload larger than
     * {@link #maxPayloadLength()} is a programming error (IllegalArgumentException with both numbers).
     */
    public long append(Track track, int rendition, int flags, long ptsUs, long dtsUs, long durationUs,
                       long captureEpochUs, MemorySegment payload) {
        long length = payload.byteSize();
        checkPayloadLength(length);
        long recordOffset = beginRecord(track, rendition, flags, ptsUs, dtsUs, durationUs, captureEpochUs, (int) length);
        MemorySegment.copy(payload, 0, segment, recordOffset + RECORD_HEADER_LENGTH, length);
        return commitRecord(track, rendition, flags, (int) length);
    }

    /** {@link #append(Track, int, int, long, long, long, long, MemorySegment)} from an array range. */
    public long append(Track track, int rendition, int flags, long ptsUs, long dtsUs, long durationUs,
                       long captureEpochUs, byte[] payload, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, payload.length);
        checkPayloadLength(length);
        long recordOffset = beginRecord(track, rendition, flags, ptsUs, dtsUs, durationUs, captureEpochUs, length);
        MemorySegment.copy(payload, offset, segment, ValueLayout.JAVA_BYTE, recordOffset + RECORD_HEADER_LENGTH, length);
        return commitRecord(track, rendition, flags, length);
    }

    private void checkPayloadLength(long length) {
        if (length > maxPayloadLength) {
            throw new IllegalArgumentException("packet too large for ring: payloadLength=" + length
                    + " maxPayloadLength=" + maxPayloadLength + " capacity=" + capacity + " file=" + file);
        }
    }

    /** Claims space (padding to the end if the record does not fit), raises tailIntent, writes the header. */
    private long beginRecord(Track track, int rendition, int flags, long ptsUs, long dtsUs, long durationUs,
                             long captureEpochUs, int payloadLength) {
        Objects.requireNonNull(track, "track");
        int recordLength = recordLength(payloadLength);
        int offsetInData = (int) (tail & (capacity - 1));
        int toEnd = capacity - offsetInData;
        long position = tail;
        int skip = toEnd < recordLength ? toEnd : 0;
        long recordPosition = position + skip;
        // readers validate against tailIntent: it must cover the bytes we are about to overwrite before we do
        Ordered.setLongVolatile(segment, TAIL_INTENT_OFFSET, recordPosition + recordLength);
        Ordered.storeStoreFence();
        if (skip >= RECORD_HEADER_LENGTH) {
            long padOffset = dataOffset(position, capacity);
            Ordered.putLong(segment, padOffset + RECORD_POSITION_OFFSET, position);
            Ordered.putLong(segment, padOffset + RECORD_SEQUENCE_OFFSET, nextRecordSequence);
            Ordered.putInt(segment, padOffset + RECORD_LENGTH_OFFSET, skip);
            Ordered.putInt(segment, padOffset + RECORD_TYPE_OFFSET, TYPE_PADDING);
            Ordered.putInt(segment, padOffset + RECORD_PAYLOAD_LENGTH_OFFSET, 0);
            Ordered.putInt(segment, padOffset + RECORD_FLAGS_OFFSET, 0);
        }
        long offset = dataOffset(recordPosition, capacity);
        Ordered.putLong(segment, offset + RECORD_POSITION_OFFSET, recordPosition);
        Ordered.putLong(segment, offset + RECORD_SEQUENCE_OFFSET, nextRecordSequence);
        Ordered.putInt(segment, offset + RECORD_LENGTH_OFFSET, recordLength);
        Ordered.putInt(segment, offset + RECORD_TYPE_OFFSET, TYPE_DATA);
        Ordered.putInt(segment, offset + RECORD_TRACK_OFFSET, track.code());
        Ordered.putInt(segment, offset + RECORD_RENDITION_OFFSET, rendition);
        Ordered.putInt(segment, offset + RECORD_FLAGS_OFFSET, flags);
        Ordered.putInt(segment, offset + RECORD_PAYLOAD_LENGTH_OFFSET, payloadLength);
        Ordered.putLong(segment, offset + RECORD_PTS_US_OFFSET, ptsUs);
        Ordered.putLong(segment, offset + RECORD_DTS_US_OFFSET, dtsUs);
        Ordered.putLong(segment, offset + RECORD_DURATION_US_OFFSET, durationUs);
        Ordered.putLong(segment, offset + RECORD_CAPTURE_EPOCH_US_OFFSET, captureEpochUs);
        pendingPosition = recordPosition;
        pendingRecordLength = recordLength;
        return offset;
    }

    private long commitRecord(Track track, int rendition, int flags, int payloadLength) {
        long sequence = nextRecordSequence;
        long recordPosition = pendingPosition;
        long newTail = recordPosition + pendingRecordLength;
        Ordered.setLongRelease(segment, NEXT_RECORD_SEQUENCE_OFFSET, sequence + 1);
        Ordered.setLongRelease(segment, TAIL_OFFSET, newTail);
        if (PacketFlags.isCodecConfig(flags)) {
            // after tail: a reader that sees this position also sees the record published
            long entry = codecConfigEntryOffset(track.code(), rendition);
            if (entry >= 0) {
                Ordered.setLongRelease(segment, entry, recordPosition);
            }
            Ordered.setLongRelease(segment, NEWEST_CODEC_CONFIG_POSITION_OFFSET, recordPosition);
        }
        tail = newTail;
        nextRecordSequence = sequence + 1;
        heartbeat();
        return sequence;
    }

    /** Proves the producer is alive; {@link #append} beats too, call this when idle. */
    public void heartbeat() {
        Ordered.setLongRelease(segment, PRODUCER_HEARTBEAT_MS_OFFSET, System.currentTimeMillis());
    }

    public long generation() {
        return generation;
    }

    public int capacity() {
        return capacity;
    }

    public int maxPayloadLength() {
        return maxPayloadLength;
    }

    /** The stream position the next record starts at (or near, after padding). */
    public long tail() {
        return tail;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            mapped.close();
        }
    }

    /** Marks the ring not ready, unmaps and deletes the file. */
    public void closeAndDelete() {
        if (!closed) {
            Ordered.setIntVolatile(segment, READY_OFFSET, HeaderLayout.NOT_READY);
        }
        close();
        FrameRingWriter.deleteQuietly(file);
    }
}
