package io.streammanager.gateway.flv;

import io.netty.buffer.ByteBuf;

/**
 * FLV file framing (FLV specification v10, annex E): the 9-byte header with PreviousTagSize0, and tags of
 * audio (8), video (9) or script data (18) carrying an RTMP message body unchanged. Pure code over buffers.
 *
 * <pre>
 *  header: 'F' 'L' 'V' version=1 flags(audio=0x04|video=0x01) dataOffset=9 (u32) | PreviousTagSize0=0 (u32)
 *  tag:    type(u8) dataSize(u24) timestamp(u24) timestampExtended(u8) streamId=0(u24) | data | PreviousTagSize(u32)
 * </pre>
 */
public final class FlvTags {

    public static final int HEADER_SIZE = 9 + 4;
    public static final int TAG_HEADER_SIZE = 11;

    private FlvTags() {
    }

    public static void writeHeader(ByteBuf out, boolean audio, boolean video) {
        out.writeByte('F').writeByte('L').writeByte('V').writeByte(1);
        out.writeByte((audio ? 0x04 : 0) | (video ? 0x01 : 0));
        out.writeInt(9);
        out.writeInt(0);
    }

    /** Appends one tag for an RTMP message body ({@code data}'s readable bytes, not consumed). */
    public static void writeTag(ByteBuf out, int typeId, long timestampMs, ByteBuf data) {
        int size = data.readableBytes();
        if (size > 0xFFFFFF) {
            throw new IllegalArgumentException("FLV tag data " + size + " bytes exceeds the 24-bit field");
        }
        out.writeByte(typeId);
        out.writeMedium(size);
        out.writeMedium((int) (timestampMs & 0xFFFFFF));
        out.writeByte((int) ((timestampMs >>> 24) & 0xFF));
        out.writeMedium(0);
        out.writeBytes(data, data.readerIndex(), size);
        out.writeInt(TAG_HEADER_SIZE + size);
    }
}
