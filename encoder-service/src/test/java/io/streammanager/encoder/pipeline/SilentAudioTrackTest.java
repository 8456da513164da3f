package io.streammanager.encoder.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.streammanager.encoder.codec.AudioEncoder;
import io.streammanager.encoder.codec.AudioEncoderSettings;

class SilentAudioTrackTest {

    private static final long FRAME_US = 33_333;
    private static final long AAC_FRAME_US = 21_333;

    private record Span(long ptsUs, long endUs) {
    }

    @Test
    void afterEveryVideoFrameTheTrackReachesItsEndAndNoMoreThanOneAacFrameBeyond() throws Exception {
        List<Span> spans = new ArrayList<>();
        try (AudioEncoder encoder = AudioEncoder.open(new AudioEncoderSettings(48_000, 2, 128_000))) {
            SilentAudioTrack track = new SilentAudioTrack(encoder,
                    p -> spans.add(new Span(p.ptsUs(), p.ptsUs() + p.durationUs())));
            long startUs = 7_000_000;
            for (int i = 0; i < 90; i++) {
                long videoPtsUs = startUs + i * FRAME_US;
                track.coverVideoFrame(videoPtsUs, FRAME_US);
                long endUs = spans.getLast().endUs();
                assertTrue(endUs >= videoPtsUs + FRAME_US && endUs <= videoPtsUs + FRAME_US + AAC_FRAME_US + 1,
                        "frame " + i + ": audio ends at " + endUs);
            }
            assertTrue(spans.getFirst().ptsUs() <= startUs && spans.getFirst().ptsUs() >= startUs - AAC_FRAME_US,
                    "audio starts at the first frame (less the encoder's priming): " + spans.getFirst());
            for (int i = 1; i < spans.size(); i++) {
                assertEquals(spans.get(i - 1).endUs(), spans.get(i).ptsUs(), 1, "contiguous at packet " + i);
            }
        }
    }

    @Test
    void aVideoJumpOfSecondsLeavesAGapInsteadOfEncodingSecondsOfSilenceAtOnce() throws Exception {
        List<Span> spans = new ArrayList<>();
        try (AudioEncoder encoder = AudioEncoder.open(new AudioEncoderSettings(48_000, 2, 128_000))) {
            SilentAudioTrack track = new SilentAudioTrack(encoder,
                    p -> spans.add(new Span(p.ptsUs(), p.ptsUs() + p.durationUs())));
            for (int i = 0; i < 10; i++) {
                track.coverVideoFrame(i * FRAME_US, FRAME_US);
            }
            int before = spans.size();
            long jumpedUs = 10 * FRAME_US + 5_000_000;
            track.coverVideoFrame(jumpedUs, FRAME_US);
            assertTrue(spans.size() - before < 10, "a few packets, not 5 s of them: " + (spans.size() - before));
            assertTrue(spans.getLast().endUs() >= jumpedUs + FRAME_US, "the track reaches the new frame's end");
            for (int i = 1; i < spans.size(); i++) {
                assertTrue(spans.get(i).ptsUs() > spans.get(i - 1).ptsUs(), "pts increases at " + i);
            }
        }
    }
}
