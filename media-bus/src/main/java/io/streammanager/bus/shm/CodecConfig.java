package io.streammanager.bus.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a decoder or muxer needs to start on a track: codec, picture or sound parameters and the codec's
 * extradata (for h264, the avcC/SPS+PPS that FFmpeg's encoder context holds with AV_CODEC_FLAG_GLOBAL_HEADER).
 * Travels as the payload of a {@link PacketFlags#CODEC_CONFIG} record.
 *
 * <pre>
 *   little-endian:
 *    0 magic "SMCC" (4) | 4 version (4) | 8 encodedLength (4)
 *   12 width | 16 height | 20 fps | 24 bitrateBps | 28 sampleRate | 32 channels       (ints)
 *   36 codecLength (4) | 40 extradataLength (4) | 44 codec (ASCII) | extradata
 * </pre>
 */
public record CodecConfig(String codec, int width, int height, int fps, int bitrateBps, int sampleRate,
                          int channels, byte[] extradata) {

    public static final int MAGIC = 0x43434D53; // "SMCC" little-endian
    public static final int VERSION = 1;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int ENCODED_LENGTH_OFFSET = 8;
    public static final int WIDTH_OFFSET = 12;
    public static final int HEIGHT_OFFSET = 16;
    public static final int FPS_OFFSET = 20;
    public static final int BITRATE_BPS_OFFSET = 24;
    public static final int SAMPLE_RATE_OFFSET = 28;
    public static final int CHANNELS_OFFSET = 32;
    public static final int CODEC_LENGTH_OFFSET = 36;
    public static final int EXTRADATA_LENGTH_OFFSET = 40;
    public static final int FIXED_LENGTH = 44;
    public static final int MAX_CODEC_LENGTH = 32;
    public static final int MAX_EXTRADATA_LENGTH = 1 << 16;

    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public CodecConfig {
        Objects.requireNonNull(codec, "codec");
        extradata = extradata == null ? new byte[0] : extradata.clone();
        byte[] codecBytes = codec.getBytes(StandardCharsets.US_ASCII);
        if (codec.isEmpty() || codecBytes.length > MAX_CODEC_LENGTH || !StandardCharsets.US_ASCII.newEncoder().canEncode(codec)) {
            throw new IllegalArgumentException("codec name must be 1.." + MAX_CODEC_LENGTH + " ASCII chars: codec="
                    + codec);
        }
        if (extradata.length > MAX_EXTRADATA_LENGTH) {
            throw new IllegalArgumentException("extradata too large: extradataLength=" + extradata.length
                    + " max=" + MAX_EXTRADATA_LENGTH);
        }
    }

    public static CodecConfig video(String codec, int width, int height, int fps, int bitrateBps, byte[] extradata) {
        return new CodecConfig(codec, width, height, fps, bitrateBps, 0, 0, extradata);
    }

    public static CodecConfig audio(String codec, int sampleRate, int channels, int bitrateBps, byte[] extradata) {
        return new CodecConfig(codec, 0, 0, 0, bitrateBps, sampleRate, channels, extradata);
    }

    /** A copy: the record stays immutable. */
    @Override
    public byte[] extradata() {
        return extradata.clone();
    }

    public int extradataLength() {
        return extradata.length;
    }

    public int encodedLength() {
        return FIXED_LENGTH + codec.length() + extradata.length;
    }

    public byte[] encode() {
        byte[] codecBytes = codec.getBytes(StandardCharsets.US_ASCII);
        // field order is the offsets above, in sequence
        ByteBuffer buffer = ByteBuffer.allocate(encodedLength()).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(MAGIC).putInt(VERSION).putInt(encodedLength())
                .putInt(width).putInt(height).putInt(fps).putInt(bitrateBps).putInt(sampleRate).putInt(channels)
                .putInt(codecBytes.length).putInt(extradata.length)
                .put(codecBytes).put(extradata);
        return buffer.array();
    }

    public static CodecConfig decode(byte[] bytes) {
        return decode(MemorySegment.ofArray(bytes));
    }

    /** Decodes and checks every length against the buffer and the limits; errors name both numbers. */
    public static CodecConfig decode(MemorySegment encoded) {
        long available = encoded.byteSize();
        if (available < FIXED_LENGTH) {
            throw new IllegalArgumentException("codec config truncated: length=" + available
                    + " minLength=" + FIXED_LENGTH);
        }
        int magic = encoded.get(INT_LE, MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new IllegalArgumentException("not a codec config: magic=0x" + Integer.toHexString(magic)
                    + " expected=0x" + Integer.toHexString(MAGIC));
        }
        int version = encoded.get(INT_LE, VERSION_OFFSET);
        if (version != VERSION) {
            throw new IllegalArgumentException("codec config version unsupported: version=" + version
                    + " supported=" + VERSION);
        }
        int encodedLength = encoded.get(INT_LE, ENCODED_LENGTH_OFFSET);
        int codecLength = encoded.get(INT_LE, CODEC_LENGTH_OFFSET);
        int extradataLength = encoded.get(INT_LE, EXTRADATA_LENGTH_OFFSET);
        if (codecLength < 1 || codecLength > MAX_CODEC_LENGTH) {
            throw new IllegalArgumentException("codec config codec name length out of range: codecLength="
                    + codecLength + " max=" + MAX_CODEC_LENGTH);
        }
        if (extradataLength < 0 || extradataLength > MAX_EXTRADATA_LENGTH) {
            throw new IllegalArgumentException("codec config extradata too large: extradataLength="
                    + extradataLength + " max=" + MAX_EXTRADATA_LENGTH);
        }
        long expected = (long) FIXED_LENGTH + codecLength + extradataLength;
        if (encodedLength != expected) {
            throw new IllegalArgumentException("codec config length inconsistent: encodedLength=" + encodedLength
                    + " expected=" + expected);
        }
        if (available < expected) {
            throw new IllegalArgumentException("codec config truncated: length=" + available
                    + " encodedLength=" + expected);
        }
        byte[] codecBytes = new byte[codecLength];
        MemorySegment.copy(encoded, ValueLayout.JAVA_BYTE, FIXED_LENGTH, codecBytes, 0, codecLength);
        byte[] extradata = new byte[extradataLength];
        MemorySegment.copy(encoded, ValueLayout.JAVA_BYTE, FIXED_LENGTH + codecLength, extradata, 0, extradataLength);
        return new CodecConfig(new String(codecBytes, StandardCharsets.US_ASCII),
                encoded.get(INT_LE, WIDTH_OFFSET), encoded.get(INT_LE, HEIGHT_OFFSET), encoded.get(INT_LE, FPS_OFFSET),
                encoded.get(INT_LE, BITRATE_BPS_OFFSET), encoded.get(INT_LE, SAMPLE_RATE_OFFSET),
                encoded.get(INT_LE, CHANNELS_OFFSET), extradata);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CodecConfig that
                && codec.equals(that.codec) && width == that.width && height == that.height && fps == that.fps
                && bitrateBps == that.bitrateBps && sampleRate == that.sampleRate && channels == that.channels
                && Arrays.equals(extradata, that.extradata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(codec, width, height, fps, bitrateBps, sampleRate, channels) * 31 + Arrays.hashCode(extradata);
    }

    @Override
    public String toString() {
        return "CodecConfig[codec=" + codec + " width=" + width + " height=" + height + " fps=" + fps
                + " bitrateBps=" + bitrateBps + " sampleRate=" + sampleRate + " channels=" + channels
                + " extradataLength=" + extradata.length + "]";
    }
}
