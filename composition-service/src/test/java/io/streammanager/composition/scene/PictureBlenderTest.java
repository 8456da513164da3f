package io.streammanager.composition.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The blend arithmetic, the per-row spans pictures blend by, and a full-frame layer hiding what lies below it. */
class PictureBlenderTest {

    @Test
    void branchFreeMixRoundsLikeTheDifferenceFormulaForEveryInput() {
        for (int below = 0; below < 256; below++) {
            for (int above = 0; above < 256; above++) {
                for (int alpha = 0; alpha < 256; alpha++) {
                    int expected = below + ((above - below) * alpha + (above >= below ? 127 : -127)) / 255;
                    assertEquals((byte) expected, PictureBlender.mix(below, above, alpha),
                            "below=" + below + " above=" + above + " alpha=" + alpha);
                }
            }
        }
    }

    @Test
    void spansCoverOnlyVisibleColumnsAndKnowOpaqueRows() {
        byte[] alpha = {
                0, 0, 0, 0,
                0, (byte) 255, (byte) 255, 0,
                0, (byte) 128, 0, (byte) 255};
        AlphaSpans spans = AlphaSpans.of(alpha, 4, 4, 3);
        assertEquals(spans.from(0), spans.to(0), "an empty row has an empty span");
        assertEquals(1, spans.from(1));
        assertEquals(3, spans.to(1));
        assertTrue(spans.opaque(1));
        assertEquals(1, spans.from(2));
        assertEquals(4, spans.to(2));
        assertFalse(spans.opaque(2));
    }

    @Test
    void pictureWithTransparentBorderChangesOnlyItsVisiblePixels() {
        int[] argb = new int[8 * 8];
        for (int row = 2; row < 6; row++) {
            for (int col = 2; col < 6; col++) {
                argb[row * 8 + col] = (col == 2 ? 0x80 : 0xFF) << 24 | 0xFFFFFF; // white, its left column half
            }
        }
        Picture picture = Picture.fromArgb(argb, 8, 8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pixels = arena.allocate(I420Frame.frameBytes(16, 16));
            pixels.fill((byte) 16);
            I420Frame frame = new I420Frame(16, 16).wrap(pixels);
            PictureBlender.blend(frame, picture, 4, 4, new byte[8]);
            I420Probe probe = new I420Probe(16, 16, pixels);
            assertEquals(16, probe.y(5, 5), "transparent border left alone");
            assertEquals(16, probe.y(10, 10), "transparent border left alone");
            assertEquals(235, probe.y(7, 7), "opaque white");
            assertEquals(PictureBlender.mix(16, 235, 0x80) & 0xFF, probe.y(6, 7), "half alpha blended");
        }
    }

    @Test
    void fullFrameVideoLayerLeavesLayersBelowUnpainted() {
        int[] painted = new int[1];
        LayerPainter below = (frame, context) -> painted[0]++;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment frameBytes = arena.allocate(I420Frame.frameBytes(16, 16));
            frameBytes.fill((byte) 200);
            VideoFrame full = VideoFrame.packed(16, 16, frameBytes, System.nanoTime());
            VideoFeed feed = new VideoFeed() {
                public VideoFrame frameForClock() {
                    return full;
                }

                public long lastFrameNs() {
                    return System.nanoTime();
                }

                public boolean live() {
                    return true;
                }
            };
            MemorySegment slot = arena.allocate(I420Frame.frameBytes(16, 16));
            OpacityPainter video = new OpacityPainter(new VideoPainter(feed, 0, 0, 16, 16, 0, null, false), 1);
            new SceneRenderer(16, 16, "s", List.of(below, video)).render(slot, 0, 0, 0);
            assertEquals(0, painted[0], "covered by the full-frame video");
            assertEquals(200, new I420Probe(16, 16, slot).y(3, 3));
            new SceneRenderer(16, 16, "s", List.of(below, new VideoPainter(feed, 2, 0, 16, 16, 0, null, false)))
                    .render(slot, 1, 0, 0);
            assertEquals(1, painted[0], "a shifted video leaves a strip uncovered, so the layer below is painted");
            video.opacity(0.5);
            new SceneRenderer(16, 16, "s", List.of(below, video)).render(slot, 2, 0, 0);
            assertEquals(2, painted[0], "a video faded below full opacity shows what is below");
        }
    }
}
