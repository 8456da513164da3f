package io.streammanager.gateway.rtmp.message;

import io.netty.buffer.ByteBuf;

/** What the relay needs to know about an audio/video payload (FLV tag body layout), read without consuming. */
public final class MediaPayloads {
    private static final int VIDEO_FRAME_KEY = 1;
    private static final int VIDEO_CODEC_AVC = 7;
    private static final int VIDEO_CODEC_HEVC = 12;
    private static final int AUDIO_FORMAT_AAC = 10;

    private MediaPayloads() {
    }

    public static boolean isVideoKeyframe(ByteBuf payload) {
        if (!payload.isReadable()) {
            return false;
        }
        int first = payload.getUnsignedByte(payload.readerIndex());
        if ((first & 0x80) != 0) { // enhanced RTMP: frame type in bits 4..6
            return ((first >>> 4) & 0x07) == VIDEO_FRAME_KEY;
        }
        return (first >>> 4) == VIDEO_FRAME_KEY;
    }

    /** AVC/HEVC decoder configuration record (packet type 0), which every player needs before the first frame. */
    public static boolean isVideoSequenceHeader(ByteBuf payload) {
        if (payload.readableBytes() < 2) {
            return false;
        }
        int first = payload.getUnsignedByte(payload.readerIndex());
        if ((first & 0x80) != 0) {
            return (first & 0x0F) == 0; // enhanced RTMP PacketTypeSequenceStart
        }
        int codec = first & 0x0F;
        return (codec == VIDEO_CODEC_AVC || codec == VIDEO_CODEC_HEVC)
                && payload.getUnsignedByte(payload.readerIndex() + 1) == 0;
    }

    /** AAC AudioSpecificConfig (AAC packet type 0). */
    public static boolean isAudioSequenceHeader(ByteBuf payload) {
        if (payload.readableBytes() < 2) {
            return false;
        }
        int format = payload.getUnsignedByte(payload.readerIndex()) >>> 4;
        return format == AUDIO_FORMAT_AAC && payload.getUnsignedByte(payload.readerIndex() + 1) == 0;
    }
}
