package io.streammanager.gateway.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TrackConfigTest {

    @Test
    void theAvcConfigGivesTheCodecStringAndTheCroppedPictureSize() {
        // x264 High@3.0 640x360 (23 macroblock rows = 368, cropped by 8), as FFmpeg 8.1 sends it over RTMP
        AvcConfig avc = AvcConfig.parse(HexFormat.of().parseHex("0164001effe1001a6764001eacd940a02ff97011000003000100"
                + "0003003c0f162d9601000468ef8fcbfdf8f800"));
        assertEquals("avc1.64001e", avc.codec());
        assertEquals(640, avc.width());
        assertEquals(360, avc.height());
        assertThrows(IllegalArgumentException.class, () -> AvcConfig.parse(new byte[] {0, 1, 2}));
    }

    @Test
    void theAacConfigGivesRateChannelsAndObjectType() {
        AacConfig aac = AacConfig.parse(HexFormat.of().parseHex("120856e500")); // FFmpeg's aac of a sine: 44100 Hz mono
        assertEquals(44100, aac.sampleRate());
        assertEquals(1, aac.channels());
        assertEquals("mp4a.40.2", aac.codec());
        assertEquals(48000, AacConfig.parse(new byte[] {0x11, (byte) 0x90}).sampleRate()); // 48 kHz stereo
        assertEquals(2, AacConfig.parse(new byte[] {0x11, (byte) 0x90}).channels());
        assertThrows(IllegalArgumentException.class, () -> AacConfig.parse(new byte[] {0x17, (byte) 0x80}));
    }
}
