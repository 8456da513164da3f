package io.streammanager.gateway.rtmp.message;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * What the relay needs to know about an audio/video payload (FLV tag body layout), read without consuming. Covers
 * legacy FLV video (codec id in the low nibble) and Enhanced RTMP (E-RTMP v1/v2): when bit 0x80 of the first byte is
 * set, bits 4..6 are the frame type, bits 0..3 the packet type, and for single-track packets bytes 1..4 the codec's
 * FourCC. Nothing beyond the header is parsed: the relay forwards payloads as received.
 */
public final class MediaPayloads {
    private static final int VIDEO_FRAME_KEY = 1;
    private static final int VIDEO_CODEC_AVC = 7;
    private static final int VIDEO_CODEC_HEVC = 12;
    private static final int AUDIO_FORMAT_AAC = 10;
    /** E-RTMP audio: SoundFormat 9 means an ExAudioTagHeader follows; its packet type 0 is SequenceStart. */
    private static final int AUDIO_FORMAT_EX_HEADER = 9;

    private static final int VIDEO_EX_HEADER = 0x80;
    /** E-RTMP video packet types (low nibble of the first byte when the ExHeader bit is set). */
    public static final int PACKET_SEQUENCE_START = 0;
    public static final int PACKET_CODED_FRAMES = 1;
    public static final int PACKET_SEQUENCE_END = 2;
    public static final int PACKET_CODED_FRAMES_X = 3;
    public static final int PACKET_METADATA = 4;
    public static final int PACKET_MPEG2TS_SEQUENCE_START = 5;
    /** Multitrack and ModEx wrap other packets; we relay them untouched and cache nothing from them. */
    public static final int PACKET_MULTITRACK = 6;
    public static final int PACKET_MOD_EX = 7;

    private MediaPayloads() {
    }

    /** True if the video payload carries the E-RTMP ExHeader bit. */
    public static boolean isEnhancedVideo(ByteBuf payload) {
        return payload.isReadable() && (payload.getUnsignedByte(payload.readerIndex()) & VIDEO_EX_HEADER) != 0;
    }

    /** The E-RTMP packet type (0..15) of an enhanced video payload, or -1 for a legacy or empty one. */
    public static int enhancedPacketType(ByteBuf payload) {
        return isEnhancedVideo(payload) ? payload.getUnsignedByte(payload.readerIndex()) & 0x0F : -1;
    }

    /**
     * A coded frame of a keyframe. For E-RTMP only frame-carrying packet types count: a sequence start, end or
     * metadata packet may carry the key frame type but holds no picture.
     */
    public static boolean isVideoKeyframe(ByteBuf payload) {
        if (!payload.isReadable()) {
            return false;
        }
        int first = payload.getUnsignedByte(payload.readerIndex());
        if ((first & VIDEO_EX_HEADER) != 0) {
            int packetType = first & 0x0F;
            boolean frames = packetType == PACKET_CODED_FRAMES || packetType == PACKET_CODED_FRAMES_X
                    || packetType == PACKET_MULTITRACK || packetType == PACKET_MOD_EX;
            return frames && ((first >>> 4) & 0x07) == VIDEO_FRAME_KEY;
        }
        return (first >>> 4) == VIDEO_FRAME_KEY;
    }

    /**
     * The decoder configuration every player needs before the first frame: AVC/HEVC packet type 0 (legacy), or an
     * E-RTMP SequenceStart / MPEG2TSSequenceStart (HEVCDecoderConfigurationRecord, AV1CodecConfigurationRecord,
     * VPCodecConfigurationRecord, or the AV1 MPEG-2 TS descriptor).
     */
    public static boolean isVideoSequenceHeader(ByteBuf payload) {
        if (payload.readableBytes() < 2) {
            return false;
        }
        int first = payload.getUnsignedByte(payload.readerIndex());
        if ((first & VIDEO_EX_HEADER) != 0) {
            int packetType = first & 0x0F;
            return packetType == PACKET_SEQUENCE_START || packetType == PACKET_MPEG2TS_SEQUENCE_START;
        }
        int codec = first & 0x0F;
        return (codec == VIDEO_CODEC_AVC || codec == VIDEO_CODEC_HEVC)
                && payload.getUnsignedByte(payload.readerIndex() + 1) == 0;
    }

    /** An E-RTMP video Metadata packet (e.g. colorInfo for HDR), which applies to the frames after it. */
    public static boolean isVideoMetadata(ByteBuf payload) {
        return enhancedPacketType(payload) == PACKET_METADATA;
    }

    /**
     * The FourCC of a single-track E-RTMP video payload ("hvc1", "av01", "vp09", "avc1", ...), or null for legacy
     * FLV video, Multitrack/ModEx packets (whose FourCC sits after further headers) and payloads too short to hold one.
     */
    public static String enhancedVideoFourCc(ByteBuf payload) {
        int packetType = enhancedPacketType(payload);
        if (packetType < 0 || packetType == PACKET_MULTITRACK || packetType == PACKET_MOD_EX
                || payload.readableBytes() < 5) {
            return null;
        }
        return payload.toString(payload.readerIndex() + 1, 4, StandardCharsets.ISO_8859_1);
    }

    /** AAC AudioSpecificConfig (AAC packet type 0), or an E-RTMP audio SequenceStart (Opus, FLAC, AC-3, AAC...). */
    public static boolean isAudioSequenceHeader(ByteBuf payload) {
        if (!payload.isReadable()) {
            return false;
        }
        int first = payload.getUnsignedByte(payload.readerIndex());
        if (first >>> 4 == AUDIO_FORMAT_EX_HEADER) {
            return (first & 0x0F) == PACKET_SEQUENCE_START;
        }
        return payload.readableBytes() >= 2 && first >>> 4 == AUDIO_FORMAT_AAC
                && payload.getUnsignedByte(payload.readerIndex() + 1) == 0;
    }
}
