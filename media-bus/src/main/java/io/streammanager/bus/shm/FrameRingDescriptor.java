package io.streammanager.bus.shm;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Layout of a frame ring file. The only place that knows an offset into one.
 *
 * <pre>
 *   file:  +------------------ header page (4096 B) ------------------+--- slot 0 ---+--- slot 1 ---+ ... slot N-1
 *
 *   header page, one concern per 64-byte cache line (the lines the producer writes often are alone):
 *      0 +---------------------------------------------------------------+
 *        | magic (8) "SMFRAMES" | layoutVersion (4) | headerLength (4)    |  identity
 *        | producerGeneration (8) | ready (4) | pad (4) | producerPid (8) |  written at (re)start, ready LAST
 *     64 +---------------------------------------------------------------+
 *        | mediaKind | width | height | pixelFormat | fps | frameBytes    |  geometry (ints)
 *        | slotCount | slotLength | slotHeaderLength                      |
 *        | sampleRate | channels | sampleFormat | planeCount | pad         |  (audio fields 0 for video)
 *    128 +---------------------------------------------------------------+
 *        | planeStride[4] (int) | planeOffset[4] (int) | planeHeight[4]   |  stride info
 *    192 +---------------------------------------------------------------+
 *        | writeSequence (8) | generationStartSequence (8) | pad         |  producer, every frame
 *    256 +---------------------------------------------------------------+
 *        | producerHeartbeatMs (8) | producerStartEpochMs (8) | pad      |  liveness
 *    320 +---------------------------------------------------------------+
 *        | unused up to 4096                                             |
 *   4096 +---------------------------------------------------------------+
 *
 *   slot i at 4096 + i * slotLength; slotLength = align64(64 + frameBytes), so pixels are 64-byte aligned:
 *      0 +---------------------------------------------------------------+
 *        | stamp (8) | ptsUs (8) | captureEpochUs (8) | durationUs (8)   |  slot header (64 B)
 *        | frameKind (4) | format (4) | payloadLength (4) | sampleCount (4)|
 *        | reserved (16)                                                  |
 *     64 +---------------------------------------------------------------+
 *        | payload: pixels (frameBytes), or PCM samples for an audio ring  |
 *        +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Seqlock: for sequence {@code s} the producer stores {@link #writingStamp(long)} = 2s+1 in the slot before
 * touching the payload and {@link #completeStamp(long)} = 2s+2 after (release), then advances writeSequence to
 * s+1 (release). A reader holding slot data for {@code s} re-reads the stamp; any other value means torn.
 * Sequences never restart while the file exists, so a stamp is never reused.
 *
 * <p>Audio: {@code mediaKind}, the audio fields of the geometry line and each slot's {@code frameKind},
 * {@code format}, {@code payloadLength} and {@code sampleCount} let a PCM ring use this same layout version.
 */
public final class FrameRingDescriptor {

    public static final int CACHE_LINE_LENGTH = 64;
    public static final int LAYOUT_VERSION = 1;
    /** "SMFRAMES" read as a little-endian long. */
    public static final long MAGIC = ByteBuffer.wrap("SMFRAMES".getBytes(StandardCharsets.US_ASCII))
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
    public static final int MEDIA_KIND_OFFSET = 64;
    public static final int WIDTH_OFFSET = 68;
    public static final int HEIGHT_OFFSET = 72;
    public static final int PIXEL_FORMAT_OFFSET = 76;
    public static final int FPS_OFFSET = 80;
    public static final int FRAME_BYTES_OFFSET = 84;
    public static final int SLOT_COUNT_OFFSET = 88;
    public static final int SLOT_LENGTH_OFFSET = 92;
    public static final int SLOT_HEADER_LENGTH_OFFSET = 96;
    public static final int SAMPLE_RATE_OFFSET = 100;
    public static final int CHANNELS_OFFSET = 104;
    public static final int SAMPLE_FORMAT_OFFSET = 108;
    public static final int PLANE_COUNT_OFFSET = 112;

    // stride line
    public static final int MAX_PLANES = 4;
    public static final int PLANE_STRIDE_OFFSET = 128;
    public static final int PLANE_OFFSET_OFFSET = PLANE_STRIDE_OFFSET + 4 * MAX_PLANES;
    public static final int PLANE_HEIGHT_OFFSET = PLANE_OFFSET_OFFSET + 4 * MAX_PLANES;

    // producer line
    public static final int WRITE_SEQUENCE_OFFSET = 192;
    public static final int GENERATION_START_SEQUENCE_OFFSET = 200;

    // liveness line
    public static final int PRODUCER_HEARTBEAT_MS_OFFSET = 256;
    public static final int PRODUCER_START_EPOCH_MS_OFFSET = 264;

    // slot header
    public static final int SLOT_HEADER_LENGTH = 64;
    public static final int SLOT_STAMP_OFFSET = 0;
    public static final int SLOT_PTS_US_OFFSET = 8;
    public static final int SLOT_CAPTURE_EPOCH_US_OFFSET = 16;
    public static final int SLOT_DURATION_US_OFFSET = 24;
    public static final int SLOT_FRAME_KIND_OFFSET = 32;
    public static final int SLOT_FORMAT_OFFSET = 36;
    public static final int SLOT_PAYLOAD_LENGTH_OFFSET = 40;
    public static final int SLOT_SAMPLE_COUNT_OFFSET = 44;

    /** {@code mediaKind} / {@code frameKind} values. */
    public static final int KIND_VIDEO = 1;
    public static final int KIND_AUDIO_PCM = 2;

    public static final int MIN_SLOT_COUNT = 2;
    public static final int MAX_SLOT_COUNT = 1024;

    static final HeaderLayout HEADER = new HeaderLayout("frame", MAGIC, LAYOUT_VERSION, MAGIC_OFFSET,
            LAYOUT_VERSION_OFFSET, PRODUCER_GENERATION_OFFSET, READY_OFFSET, PRODUCER_HEARTBEAT_MS_OFFSET,
            PRODUCER_PID_OFFSET, HEADER_LENGTH);

    private FrameRingDescriptor() {
    }

    public static int align(int value, int alignment) {
        return (value + alignment - 1) & -alignment;
    }

    /** Bytes from one slot's start to the next: header plus payload, rounded up to a cache line. */
    public static int slotLength(int frameBytes) {
        return align(SLOT_HEADER_LENGTH + frameBytes, CACHE_LINE_LENGTH);
    }

    public static long slotOffset(int slotIndex, int slotLength) {
        return HEADER_LENGTH + (long) slotIndex * slotLength;
    }

    public static long planeStrideOffset(int plane) {
        return PLANE_STRIDE_OFFSET + (long) Integer.BYTES * plane;
    }

    public static long planeOffsetOffset(int plane) {
        return PLANE_OFFSET_OFFSET + (long) Integer.BYTES * plane;
    }

    public static long planeHeightOffset(int plane) {
        return PLANE_HEIGHT_OFFSET + (long) Integer.BYTES * plane;
    }

    public static long fileLength(int frameBytes, int slotCount) {
        return HEADER_LENGTH + (long) slotCount * slotLength(frameBytes);
    }

    public static long writingStamp(long sequence) {
        return 2 * sequence + 1;
    }

    public static long completeStamp(long sequence) {
        return 2 * sequence + 2;
    }

    public static void checkVersion(int layoutVersion) {
        if (layoutVersion != LAYOUT_VERSION) {
            throw new IllegalStateException("frame ring layout version mismatch: layoutVersion=" + layoutVersion
                    + " expected=" + LAYOUT_VERSION);
        }
    }

    public static void checkSlotCount(int slotCount) {
        if (slotCount < MIN_SLOT_COUNT || slotCount > MAX_SLOT_COUNT) {
            throw new IllegalArgumentException("slot count out of range: slotCount=" + slotCount + " min="
                    + MIN_SLOT_COUNT + " max=" + MAX_SLOT_COUNT);
        }
    }

    /** Checks that a file (or mapping) of {@code fileLength} bytes holds the ring its header describes. */
    public static void checkCapacity(long fileLength, int frameBytes, int slotCount, int slotLength) {
        checkSlotCount(slotCount);
        if (frameBytes <= 0) {
            throw new IllegalStateException("frame ring frame size invalid: frameBytes=" + frameBytes);
        }
        if (slotLength != slotLength(frameBytes)) {
            throw new IllegalStateException("frame ring slot length inconsistent: slotLength=" + slotLength
                    + " expected=" + slotLength(frameBytes) + " frameBytes=" + frameBytes);
        }
        long required = fileLength(frameBytes, slotCount);
        if (fileLength < required) {
            throw new IllegalStateException("frame ring file too short: fileLength=" + fileLength
                    + " required=" + required + " slotCount=" + slotCount + " slotLength=" + slotLength);
        }
    }
}
