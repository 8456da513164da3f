package io.streammanager.bus.shm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Layout of a packet ring file. The only place that knows an offset into one.
 *
 * <pre>
 *   file:  +----------- header page (4096 B) -----------+------------ data area (capacity B, power of two) ----------+
 *
 *   header page, one concern per 64-byte cache line:
 *      0 +---------------------------------------------------------------+
 *        | magic (8) "SMPACKET" | layoutVersion (4) | headerLength (4)    |  identity
 *        | producerGeneration (8) | ready (4) | pad (4) | producerPid (8) |  written at (re)start, ready LAST
 *     64 +---------------------------------------------------------------+
 *        | capacity (4) | recordHeaderLength (4) | maxRecordLength (4)    |  geometry
 *        | pad (4) | generationStartPosition (8)                          |
 *    128 +---------------------------------------------------------------+
 *        | tailIntent (8) | tail (8) | newestCodecConfigPosition (8)     |  producer, every record
 *        | nextRecordSequence (8)                                         |
 *    192 +---------------------------------------------------------------+
 *        | producerHeartbeatMs (8) | producerStartEpochMs (8)            |  liveness
 *    256 +---------------------------------------------------------------+
 *        | codecConfigPosition[track 1..2][rendition 0..7] (16 x 8)      |  newest config per track/rendition
 *    384 +---------------------------------------------------------------+
 *        | unused up to 4096                                             |
 *   4096 +---------------------------------------------------------------+
 *
 *   record at data offset (position &amp; (capacity - 1)), length a multiple of 8:
 *      0 +---------------------------------------------------------------+
 *        | position (8): the record's own stream position (overwrite check)|
 *        | sequence (8) | length (4) | type (4) | track (4) | rendition (4)|
 *        | flags (4) | payloadLength (4) | ptsUs (8) | dtsUs (8)           |
 *        | durationUs (8) | captureEpochUs (8)                             |
 *     72 +---------------------------------------------------------------+
 *        | payload (payloadLength) | pad to 8                             |
 *        +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Positions grow forever (a long never wraps in practice); the data offset is position mod capacity. A record
 * never straddles the end: if fewer than {@link #RECORD_HEADER_LENGTH} bytes remain before the end, both sides
 * skip them implicitly; otherwise, if the record does not fit, the producer writes a {@link #TYPE_PADDING} record
 * up to the end.
 *
 * <p>Broadcast (as in Agrona's broadcast buffer): the producer raises {@code tailIntent} to the end of what it is
 * about to overwrite before writing, and {@code tail} (release) after. A reader that copied a record at position p
 * re-reads {@code tailIntent}; if {@code tailIntent - capacity > p} the bytes may be overwritten and are dropped.
 */
public final class PacketRingDescriptor {

    public static final int CACHE_LINE_LENGTH = 64;
    public static final int LAYOUT_VERSION = 1;
    /** "SMPACKET" read as a little-endian long. */
    public static final long MAGIC = ByteBuffer.wrap("SMPACKET".getBytes(StandardCharsets.US_ASCII))
            .order(ByteOrder.LITTLE_ENDIAN).getLong();
    public static final int HEADER_LENGTH = 4096;

    // identity line
    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = 8;
    public static final int HEADER_LENGTH_OFFSET = 12;
    public static final int PRODUCER_GENERATION_OFFSET = 16;
    public static final int READY_OFFSET = 24;
    public static final int PRODUCER_PID_OFFSET = 32;

    // geometry line
    public static final int CAPACITY_OFFSET = 64;
    public static final int RECORD_HEADER_LENGTH_OFFSET = 68;
    public static final int MAX_RECORD_LENGTH_OFFSET = 72;
    public static final int GENERATION_START_POSITION_OFFSET = 80;

    // producer line
    public static final int TAIL_INTENT_OFFSET = 128;
    public static final int TAIL_OFFSET = 136;
    public static final int NEWEST_CODEC_CONFIG_POSITION_OFFSET = 144;
    public static final int NEXT_RECORD_SEQUENCE_OFFSET = 152;

    // liveness line
    public static final int PRODUCER_HEARTBEAT_MS_OFFSET = 192;
    public static final int PRODUCER_START_EPOCH_MS_OFFSET = 200;

    // newest codec config per (track, rendition)
    public static final int CODEC_CONFIG_TABLE_OFFSET = 256;
    public static final int MAX_TRACK_CODE = 2;
    public static final int CONFIG_TABLE_RENDITIONS = 8;
    public static final int CODEC_CONFIG_TABLE_ENTRIES = MAX_TRACK_CODE * CONFIG_TABLE_RENDITIONS;

    // record header
    public static final int RECORD_ALIGNMENT = 8;
    public static final int RECORD_POSITION_OFFSET = 0;
    public static final int RECORD_SEQUENCE_OFFSET = 8;
    public static final int RECORD_LENGTH_OFFSET = 16;
    public static final int RECORD_TYPE_OFFSET = 20;
    public static final int RECORD_TRACK_OFFSET = 24;
    public static final int RECORD_RENDITION_OFFSET = 28;
    public static final int RECORD_FLAGS_OFFSET = 32;
    public static final int RECORD_PAYLOAD_LENGTH_OFFSET = 36;
    public static final int RECORD_PTS_US_OFFSET = 40;
    public static final int RECORD_DTS_US_OFFSET = 48;
    public static final int RECORD_DURATION_US_OFFSET = 56;
    public static final int RECORD_CAPTURE_EPOCH_US_OFFSET = 64;
    public static final int RECORD_HEADER_LENGTH = 72;

    public static final int TYPE_DATA = 1;
    public static final int TYPE_PADDING = 2;

    /** No record: a position field that holds this has nothing to point at. */
    public static final long NO_POSITION = -1;

    public static final int MIN_CAPACITY = 4096;
    public static final int MAX_CAPACITY = 1 << 30;

    static final HeaderLayout HEADER = new HeaderLayout("packet", MAGIC, LAYOUT_VERSION, MAGIC_OFFSET,
            LAYOUT_VERSION_OFFSET, PRODUCER_GENERATION_OFFSET, READY_OFFSET, PRODUCER_HEARTBEAT_MS_OFFSET,
            PRODUCER_PID_OFFSET, HEADER_LENGTH);

    private PacketRingDescriptor() {
    }

    public static long fileLength(int capacity) {
        return HEADER_LENGTH + (long) capacity;
    }

    /** The largest record (header + payload + alignment) a ring of this capacity takes: half of it. */
    public static int maxRecordLength(int capacity) {
        return capacity / 2;
    }

    public static int maxPayloadLength(int capacity) {
        return maxRecordLength(capacity) - RECORD_HEADER_LENGTH;
    }

    public static int recordLength(int payloadLength) {
        return (RECORD_HEADER_LENGTH + payloadLength + RECORD_ALIGNMENT - 1) & -RECORD_ALIGNMENT;
    }

    public static long dataOffset(long position, int capacity) {
        return HEADER_LENGTH + (position & (capacity - 1));
    }

    /** Header offset of the newest-config slot for a track code (1..) and rendition, or -1 if outside the table. */
    public static long codecConfigEntryOffset(int trackCode, int rendition) {
        if (trackCode < 1 || trackCode > MAX_TRACK_CODE || rendition < 0 || rendition >= CONFIG_TABLE_RENDITIONS) {
            return -1;
        }
        return codecConfigTableEntryOffset((trackCode - 1) * CONFIG_TABLE_RENDITIONS + rendition);
    }

    /** Header offset of entry {@code index} (0 .. CODEC_CONFIG_TABLE_ENTRIES - 1) of the newest-config table. */
    public static long codecConfigTableEntryOffset(int index) {
        return CODEC_CONFIG_TABLE_OFFSET + (long) Long.BYTES * index;
    }

    public static void checkVersion(int layoutVersion) {
        if (layoutVersion != LAYOUT_VERSION) {
            throw new IllegalStateException("packet ring layout version mismatch: layoutVersion=" + layoutVersion
                    + " expected=" + LAYOUT_VERSION);
        }
    }

    /** Checks a data-area capacity: a power of two within [MIN_CAPACITY, MAX_CAPACITY]. */
    public static void checkCapacity(int capacity) {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("packet ring capacity must be a power of two in range: capacity="
                    + capacity + " min=" + MIN_CAPACITY + " max=" + MAX_CAPACITY);
        }
    }

    /** Checks that a file (or mapping) of {@code fileLength} bytes holds a data area of {@code capacity}. */
    public static void checkCapacity(long fileLength, int capacity) {
        checkCapacity(capacity);
        if (fileLength < fileLength(capacity)) {
            throw new IllegalStateException("packet ring file too short: fileLength=" + fileLength
                    + " required=" + fileLength(capacity) + " capacity=" + capacity);
        }
    }
}
