package io.streammanager.bus.shm;

import static io.streammanager.bus.shm.PacketRingDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One reader of a packet ring (broadcast: every reader sees every record it keeps up with). A new reader, and one
 * that was lapped, starts at a CODEC_CONFIG record (the oldest of the newest config per track and rendition still
 * in the ring), or waits for the next one, so a decoder can always start where it begins. Not thread-safe.
 */
public final class PacketRingReader extends RingReader {

    /** {@link #poll}: nothing new yet. */
    public static final int NOTHING = RingReader.NOTHING;
    /** {@link #poll}: the view holds the next packet. */
    public static final int PACKET = 1;
    /** {@link #poll}: the producer restarted or replaced the file; next polls start at its first codec config. */
    public static final int GENERATION_CHANGED = RingReader.GENERATION_CHANGED;

    private int capacity;
    private long generationStartPosition;
    private long cursor;
    private boolean seekingConfig;
    /** A copy was rejected by stillValid: start again at a codec config on the next poll. */
    private boolean resyncPending;
    private long expectedSequence = -1;
    private long lostPackets;

    private PacketRingReader(Path file) {
        super(file, HEADER);
    }

    /** Waits for the file and its ready flag; throws {@link RingUnavailableException} after {@code readyTimeout}. */
    public static PacketRingReader open(Path file, Duration readyTimeout) {
        return RingReader.open(new PacketRingReader(Objects.requireNonNull(file, "file")), readyTimeout);
    }

    @Override
    boolean bind(MappedRingFile candidate) {
        MemorySegment header = candidate.segment();
        long gen = Ordered.getLongAcquire(header, PRODUCER_GENERATION_OFFSET);
        if (Ordered.getIntAcquire(header, READY_OFFSET) != HeaderLayout.READY) {
            return false;
        }
        checkVersion(Ordered.getInt(header, LAYOUT_VERSION_OFFSET));
        int newCapacity = Ordered.getInt(header, CAPACITY_OFFSET);
        long startPosition = Ordered.getLong(header, GENERATION_START_POSITION_OFFSET);
        Ordered.loadLoadFence();
        if (Ordered.getLongVolatile(header, PRODUCER_GENERATION_OFFSET) != gen
                || Ordered.getIntAcquire(header, READY_OFFSET) != HeaderLayout.READY) {
            return false;
        }
        checkCapacity(candidate.size(), newCapacity);
        this.mapped = candidate;
        this.segment = header;
        this.capacity = newCapacity;
        this.generation = gen;
        this.generationStartPosition = startPosition;
        this.binding++;
        this.expectedSequence = -1;
        this.resyncPending = false;
        resync();
        return true;
    }

    /**
     * Positions at the oldest "newest codec config" of any track/rendition that is still intact, else at the tail
     * waiting for the next config. Records skipped on the way count as lost only if we were lapped.
     */
    private void resync() {
        long tail = Ordered.getLongAcquire(segment, TAIL_OFFSET);
        long floor = Math.max(generationStartPosition,
                Ordered.getLongAcquire(segment, TAIL_INTENT_OFFSET) - capacity);
        long start = Long.MAX_VALUE;
        for (int i = 0; i < CODEC_CONFIG_TABLE_ENTRIES; i++) {
            long position = Ordered.getLongAcquire(segment, codecConfigTableEntryOffset(i));
            if (position >= floor && position < tail) {
                start = Math.min(start, position);
            }
        }
        if (start == Long.MAX_VALUE) {
            long newest = Ordered.getLongAcquire(segment, NEWEST_CODEC_CONFIG_POSITION_OFFSET);
            start = newest >= floor && newest < tail ? newest : tail;
        }
        cursor = start;
        seekingConfig = true;
    }

    /** Fills {@code view} with the next packet if there is one; returns {@link #PACKET}, {@link #NOTHING} or {@link #GENERATION_CHANGED}. */
    public int poll(PacketView view) {
        if (generationMoved()) {
            return rebindInPlace();
        }
        if (resyncPending) {
            resync();
            resyncPending = false;
        }
        int mask = capacity - 1;
        while (true) {
            long tail = Ordered.getLongAcquire(segment, TAIL_OFFSET);
            if (cursor >= tail) {
                return nothingNew();
            }
            if (Ordered.getLongAcquire(segment, TAIL_INTENT_OFFSET) - capacity > cursor) {
                // lapped: expectedSequence stays, so the next delivered record's sequence shows what was lost
                resync();
                continue;
            }
            int offsetInData = (int) (cursor & mask);
            int toEnd = capacity - offsetInData;
            if (toEnd < RECORD_HEADER_LENGTH) {
                cursor += toEnd;
                continue;
            }
            long offset = HEADER_LENGTH + offsetInData;
            long position = Ordered.getLong(segment, offset + RECORD_POSITION_OFFSET);
            long sequence = Ordered.getLong(segment, offset + RECORD_SEQUENCE_OFFSET);
            int length = Ordered.getInt(segment, offset + RECORD_LENGTH_OFFSET);
            int type = Ordered.getInt(segment, offset + RECORD_TYPE_OFFSET);
            int trackCode = Ordered.getInt(segment, offset + RECORD_TRACK_OFFSET);
            int rendition = Ordered.getInt(segment, offset + RECORD_RENDITION_OFFSET);
            int flags = Ordered.getInt(segment, offset + RECORD_FLAGS_OFFSET);
            int payloadLength = Ordered.getInt(segment, offset + RECORD_PAYLOAD_LENGTH_OFFSET);
            long ptsUs = Ordered.getLong(segment, offset + RECORD_PTS_US_OFFSET);
            long dtsUs = Ordered.getLong(segment, offset + RECORD_DTS_US_OFFSET);
            long durationUs = Ordered.getLong(segment, offset + RECORD_DURATION_US_OFFSET);
            long captureEpochUs = Ordered.getLong(segment, offset + RECORD_CAPTURE_EPOCH_US_OFFSET);
            Ordered.loadLoadFence();
            if (Ordered.getLongVolatile(segment, TAIL_INTENT_OFFSET) - capacity > cursor) {
                resync();
                continue;
            }
            if (position != cursor || length < RECORD_HEADER_LENGTH || length > toEnd
                    || (length & (RECORD_ALIGNMENT - 1)) != 0) {
                // intact yet inconsistent: not a record boundary. Never trust it; start over at a config.
                resync();
                continue;
            }
            if (type != TYPE_DATA) {
                cursor += length;
                continue;
            }
            Track track = Track.fromCode(trackCode);
            if (track == null || payloadLength < 0 || payloadLength > length - RECORD_HEADER_LENGTH
                    || (seekingConfig && !PacketFlags.isCodecConfig(flags))) {
                cursor += length;
                continue;
            }
            seekingConfig = false;
            if (expectedSequence >= 0 && sequence > expectedSequence) {
                lostPackets += sequence - expectedSequence;
            }
            expectedSequence = sequence + 1;
            view.wrap(cursor, sequence, track, rendition, flags, ptsUs, dtsUs, durationUs, captureEpochUs,
                    segment, offset + RECORD_HEADER_LENGTH, payloadLength, binding);
            cursor += length;
            return PACKET;
        }
    }

    /**
     * Polls until a packet or a generation change arrives or {@code timeoutNs} passes: spins a few microseconds,
     * then parks in growing steps (50 us to 1 ms).
     */
    public int await(PacketView view, long timeoutNs) {
        return awaitNext(() -> poll(view), timeoutNs);
    }

    /**
     * Call after copying a view's payload: true if the producer did not overwrite the record meanwhile. False means
     * discard the copy; the packet counts as lost and the reader resynchronises at a codec config.
     */
    public boolean stillValid(PacketView view) {
        if (view.binding() != binding) {
            return false;
        }
        Ordered.loadLoadFence();
        if (Ordered.getLongVolatile(segment, TAIL_INTENT_OFFSET) - capacity <= view.position()) {
            return true;
        }
        lostPackets++;
        resyncPending = true;
        return false;
    }

    @Override
    long requiredFileLength(MemorySegment header) {
        return fileLength(Ordered.getInt(header, CAPACITY_OFFSET));
    }

    /** Packets this reader never delivered because it was lapped (or a copy was rejected by {@link #stillValid}). */
    public long lostPackets() {
        return lostPackets;
    }

    /** Bytes published but not yet passed by this reader (a lapped reader sees more than the capacity). */
    public long backlogBytes() {
        return Math.max(0, Ordered.getLongAcquire(segment, TAIL_OFFSET) - cursor);
    }

    public int capacity() {
        return capacity;
    }
}
