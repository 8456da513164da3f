package io.streammanager.gateway.rtmp.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MediaPayloadsTest {

    private static ByteBuf bytes(int... values) {
        ByteBuf b = Unpooled.buffer(values.length);
        for (int v : values) {
            b.writeByte(v);
        }
        return b;
    }

    /** What FFmpeg 8.1 writes: sequence start, colorInfo metadata, key (CodedFramesX or CodedFrames), inter, key. */
    @ParameterizedTest
    @CsvSource({"hevc.flv, hvc1", "vp9.flv, vp09"})
    void ffmpegsEnhancedTagsAreClassifiedByTheirHeaderOnly(String file, String fourCc) {
        List<FlvFixture.Tag> video = FlvFixture.video(file);
        assertEquals(5, video.size());
        ByteBuf sequenceStart = video.get(0).payload();
        assertTrue(MediaPayloads.isEnhancedVideo(sequenceStart));
        assertTrue(MediaPayloads.isVideoSequenceHeader(sequenceStart));
        assertFalse(MediaPayloads.isVideoKeyframe(sequenceStart), "a sequence start holds no picture");
        assertEquals(fourCc, MediaPayloads.enhancedVideoFourCc(sequenceStart));

        ByteBuf colorInfo = video.get(1).payload();
        assertTrue(MediaPayloads.isVideoMetadata(colorInfo));
        assertFalse(MediaPayloads.isVideoSequenceHeader(colorInfo));
        assertFalse(MediaPayloads.isVideoKeyframe(colorInfo));

        assertTrue(MediaPayloads.isVideoKeyframe(video.get(2).payload()));
        assertFalse(MediaPayloads.isVideoKeyframe(video.get(3).payload()));
        assertFalse(MediaPayloads.isVideoSequenceHeader(video.get(3).payload()));
        assertTrue(MediaPayloads.isVideoKeyframe(video.get(4).payload()));
        assertEquals(fourCc, MediaPayloads.enhancedVideoFourCc(video.get(4).payload()));
        assertEquals(0, sequenceStart.readerIndex(), "nothing consumed");
    }

    @Test
    void hevcFramesComeAsCodedFramesXWithoutCompositionTime() {
        List<FlvFixture.Tag> video = FlvFixture.video("hevc.flv");
        assertEquals(MediaPayloads.PACKET_CODED_FRAMES_X, MediaPayloads.enhancedPacketType(video.get(2).payload()));
        assertEquals(MediaPayloads.PACKET_CODED_FRAMES_X, MediaPayloads.enhancedPacketType(video.get(3).payload()));
    }

    /** FFmpeg's AV1 stream starts with an empty sequence start, then the real AV1CodecConfigurationRecord. */
    @Test
    void av1SendsTwoSequenceStartsAndTheLaterOneIsTheRecord() {
        List<FlvFixture.Tag> video = FlvFixture.video("av1.flv");
        assertEquals(6, video.size());
        for (int i : new int[] {0, 1}) {
            assertTrue(MediaPayloads.isVideoSequenceHeader(video.get(i).payload()));
            assertEquals("av01", MediaPayloads.enhancedVideoFourCc(video.get(i).payload()));
        }
        assertEquals(5, video.get(0).body().length);
        assertTrue(video.get(1).body().length > 5);
        assertTrue(MediaPayloads.isVideoMetadata(video.get(2).payload()));
        assertEquals(MediaPayloads.PACKET_CODED_FRAMES, MediaPayloads.enhancedPacketType(video.get(3).payload()));
        assertTrue(MediaPayloads.isVideoKeyframe(video.get(3).payload()));
        assertFalse(MediaPayloads.isVideoKeyframe(video.get(4).payload()));
        assertTrue(MediaPayloads.isVideoKeyframe(video.get(5).payload()));
    }

    @Test
    void legacyAvcIsNotEnhancedAndHasNoFourCc() {
        ByteBuf header = bytes(0x17, 0, 0, 0, 0, 1, 0x64);
        assertFalse(MediaPayloads.isEnhancedVideo(header));
        assertTrue(MediaPayloads.isVideoSequenceHeader(header));
        assertNull(MediaPayloads.enhancedVideoFourCc(header));
        assertTrue(MediaPayloads.isVideoKeyframe(bytes(0x17, 1, 0, 0, 0)));
        assertFalse(MediaPayloads.isVideoKeyframe(bytes(0x27, 1, 0, 0, 0)));
    }

    @Test
    void multitrackAndModExAreRelayedByFrameTypeWithoutAFourCcOrACachedConfig() {
        // key frame, Multitrack (6); then AvMultitrackType OneTrack (0) << 4 | SequenceStart (0), FourCC, track id
        ByteBuf multitrackStart = bytes(0x96, 0x00, 'h', 'v', 'c', '1', 0);
        assertNull(MediaPayloads.enhancedVideoFourCc(multitrackStart));
        assertFalse(MediaPayloads.isVideoSequenceHeader(multitrackStart));
        ByteBuf multitrackKey = bytes(0x96, 0x03, 'h', 'v', 'c', '1', 0, 0, 0, 0);
        assertTrue(MediaPayloads.isVideoKeyframe(multitrackKey));
        ByteBuf modEx = bytes(0x97, 0x00, 0x00, 0x00, 0x00);
        assertTrue(MediaPayloads.isVideoKeyframe(modEx));
        assertNull(MediaPayloads.enhancedVideoFourCc(modEx));
        assertFalse(MediaPayloads.isVideoKeyframe(bytes(0xA6, 0x03)), "inter frame");
    }

    @Test
    void sequenceEndAndTruncatedHeadersNeverThrow() {
        assertFalse(MediaPayloads.isVideoSequenceHeader(bytes(0x92, 'h', 'v', 'c', '1')));
        assertFalse(MediaPayloads.isVideoKeyframe(bytes(0x92, 'h', 'v', 'c', '1')));
        assertNull(MediaPayloads.enhancedVideoFourCc(bytes(0x90, 'h', 'v')));
        assertTrue(MediaPayloads.isVideoSequenceHeader(bytes(0x95, 'a', 'v', '0', '1')), "MPEG2TSSequenceStart");
        assertFalse(MediaPayloads.isVideoKeyframe(Unpooled.EMPTY_BUFFER));
        assertEquals(-1, MediaPayloads.enhancedPacketType(Unpooled.EMPTY_BUFFER));
        assertFalse(MediaPayloads.isVideoSequenceHeader(bytes(0x90)));
    }

    @Test
    void audioSequenceStartsAreRecognisedForAacAndEnhancedAudio() {
        assertTrue(MediaPayloads.isAudioSequenceHeader(bytes(0xAF, 0, 0x12, 0x10)));
        assertFalse(MediaPayloads.isAudioSequenceHeader(bytes(0xAF, 1, 1)));
        // SoundFormat 9 (ExHeader), AudioPacketType SequenceStart, FourCC Opus
        assertTrue(MediaPayloads.isAudioSequenceHeader(bytes(0x90, 'O', 'p', 'u', 's')));
        assertFalse(MediaPayloads.isAudioSequenceHeader(bytes(0x91, 'O', 'p', 'u', 's')));
    }
}
