package io.streammanager.gateway.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammanager.gateway.it.FlvFile;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CmafSegmenterTest {

    private record Part(byte[] bytes, long startMs, long durationMs, boolean independent, boolean startsSegment) {
    }

    @Test
    void flvTagsBecomeKeyframeAlignedSegmentsOfShortPartsThatFfmpegDecodes() throws Exception {
        Path dir = Path.of("target", "hls-segmenter");
        List<FlvFile.Tag> tags = FlvSource.make(dir, "640x360", 5, 15);
        List<byte[]> inits = new ArrayList<>();
        List<TrackConfig> configs = new ArrayList<>();
        List<Part> parts = new ArrayList<>();
        int before = AvioOutputs.registered();
        try (CmafSegmenter segmenter = new CmafSegmenter(2000, 334, new CmafSegmenter.Output() {
            @Override
            public void init(byte[] init, TrackConfig tracks) {
                inits.add(init);
                configs.add(tracks);
            }

            @Override
            public void part(byte[] bytes, long startMs, long durationMs, int frames, boolean independent,
                             boolean startsSegment) {
                parts.add(new Part(bytes, startMs, durationMs, independent, startsSegment));
            }
        })) {
            for (FlvFile.Tag tag : tags) {
                if (tag.video()) {
                    segmenter.video(tag.timestamp(), tag.data());
                } else if (tag.audio()) {
                    segmenter.audio(tag.timestamp(), tag.data());
                }
            }
            assertEquals(before + 1, AvioOutputs.registered());
        }
        assertEquals(before, AvioOutputs.registered(), "closing frees the AVIO route");
        assertEquals(1, inits.size());
        assertEquals("ftyp", new String(inits.getFirst(), 4, 4));
        assertEquals(640, configs.getFirst().video().width());
        assertEquals(360, configs.getFirst().video().height());
        assertTrue(configs.getFirst().codecs().matches("avc1\\.64[0-9a-f]{4},mp4a\\.40\\.2"), configs.getFirst().codecs());
        assertTrue(parts.getFirst().startsSegment() && parts.getFirst().independent());
        long segmentStart = -1;
        List<Long> segmentDurations = new ArrayList<>();
        for (Part part : parts) {
            assertEquals("moof", new String(part.bytes(), 4, 4), "every part is one fragment");
            assertTrue(part.durationMs() <= 334, "part of " + part.durationMs() + " ms");
            if (part.startsSegment()) {
                assertTrue(part.independent(), "a segment starts at a keyframe");
                if (segmentStart >= 0) {
                    segmentDurations.add(part.startMs() - segmentStart);
                }
                segmentStart = part.startMs();
            }
        }
        assertEquals(List.of(2000L, 2000L), segmentDurations);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(inits.getFirst());
        parts.forEach(part -> file.writeBytes(part.bytes()));
        Path mp4 = dir.resolve("all.mp4");
        Files.write(mp4, file.toByteArray());
        String probe = FlvSource.run(List.of(FlvSource.ffprobe(), "-v", "error", "-count_frames", "-show_entries",
                "stream=codec_name,width,height,nb_read_frames", "-of", "csv=p=0", mp4.toString()));
        assertTrue(probe.contains("h264,640,360,"), probe);
        assertTrue(probe.contains("aac"), probe);
        int frames = Integer.parseInt(probe.lines().filter(l -> l.startsWith("h264")).findFirst().orElseThrow().split(",")[3].trim());
        assertTrue(frames >= 140, frames + " frames decoded of 150: " + probe);
    }
}
