package io.streammanager.encoder.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class AudioEncoderTest {

    private record Out(long ptsUs, long durationUs, boolean keyframe, byte[] data) {
    }

    @Test
    void silenceComesOutAsAacFramesThatDecodeToSilenceOnAContinuousClock() throws Exception {
        List<Out> packets = new ArrayList<>();
        PacketSink sink = p -> packets.add(new Out(p.ptsUs(), p.durationUs(), p.keyframe(), p.data().toArray(
                java.lang.foreign.ValueLayout.JAVA_BYTE)));
        byte[] config;
        int frames = 50;
        long originUs = 5_000_000;
        try (AudioEncoder encoder = AudioEncoder.open(new AudioEncoderSettings(48_000, 2, 128_000))) {
            assertEquals(1024, encoder.frameSamples());
            assertEquals(1024, encoder.primingSamples());
            config = encoder.extradata();
            for (int i = 0; i < frames; i++) {
                encoder.sendSilence(originUs + encoder.samplesToUs(i * 1024L));
                encoder.drain(sink);
            }
            encoder.flush(sink);
        }
        assertEquals(frames + 1, packets.size(), "one packet per frame plus the priming frame");
        assertEquals(originUs - 21_333, packets.getFirst().ptsUs(), 1, "the first packet carries the priming delay");
        for (int i = 1; i < packets.size(); i++) {
            Out previous = packets.get(i - 1);
            assertEquals(previous.ptsUs() + previous.durationUs(), packets.get(i).ptsUs(), 1, "contiguous at " + i);
            assertTrue(packets.get(i).keyframe(), "every AAC frame is a sync point");
        }
        try (AacTestDecoder decoder = new AacTestDecoder(config)) {
            for (Out packet : packets) {
                decoder.decode(packet.data(), packet.ptsUs());
            }
            decoder.flush();
            assertEquals(packets.size(), decoder.frames());
            assertEquals(0.0, decoder.peak(), 1e-4);
        }
    }

    @Test
    void settingsOutsideWhatAacCanCarryAreRejectedWithTheValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> new AudioEncoderSettings(48_000, 9, 128_000));
        assertTrue(e.getMessage().contains("channels=9"), e.getMessage());
    }

    @Test
    void monoAt44100OpensWithItsOwnConfig() throws Exception {
        try (AudioEncoder encoder = AudioEncoder.open(AudioEncoderSettings.ofKbps(44_100, 1, 64))) {
            byte[] config = encoder.extradata();
            // AAC-LC, sampling index 4 (44.1 kHz), 1 channel
            assertEquals(0x12, config[0] & 0xff);
            assertEquals(0x08, config[1] & 0xff);
        }
    }
}
