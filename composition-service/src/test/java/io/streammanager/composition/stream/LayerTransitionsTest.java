package io.streammanager.composition.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streammanager.bus.control.spec.BackgroundLayer;
import io.streammanager.bus.control.spec.ImageLayer;
import io.streammanager.bus.control.spec.Layer;
import io.streammanager.bus.control.spec.SceneSpec;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.Transition;
import io.streammanager.bus.control.spec.VideoLayer;
import io.streammanager.bus.control.spec.VideoSpec;
import io.streammanager.composition.scene.I420Frame;
import io.streammanager.composition.scene.RgbColor;
import io.streammanager.composition.scene.SceneCompiler;
import io.streammanager.composition.scene.SceneMedia;
import io.streammanager.composition.scene.VideoFeed;
import java.awt.image.BufferedImage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layer-by-layer transitions: the interpolation itself, then frames rendered through a change. */
class LayerTransitionsTest {

    private static final int W = 64;
    private static final int H = 48;
    private static final int RED_Y = RgbColor.parse("#ff0000").toYuv().y();
    private static final int BLUE_Y = RgbColor.parse("#0000ff").toYuv().y();

    @Test
    void progressFollowsTheEasingBetweenStartAndEnd() {
        SceneTransition linear = SceneTransition.of(new Transition("move", 400, null), 1_000_000);
        SceneTransition eased = SceneTransition.of(new Transition("move", 400, "ease-in-out"), 1_000_000);
        long[] pts = {900_000, 1_000_000, 1_100_000, 1_200_000, 1_300_000, 1_400_000, 1_500_000};
        double[] linearExpected = {0, 0, 0.25, 0.5, 0.75, 1, 1};
        double[] easedExpected = {0, 0, 0.125, 0.5, 0.875, 1, 1};
        for (int i = 0; i < pts.length; i++) {
            assertEquals(linearExpected[i], linear.progress(pts[i]), 1e-9, "linear at " + pts[i]);
            assertEquals(easedExpected[i], eased.progress(pts[i]), 1e-9, "ease-in-out at " + pts[i]);
        }
        assertEquals(null, SceneTransition.of(new Transition("cut", 400, null), 0), "a cut has no duration");
        assertEquals(null, SceneTransition.of(new Transition("fade", 0, null), 0), "nor has a zero-length fade");
    }

    @Test
    void aBoxGoesInAStraightLineFromItsOldPlaceSizeAndOpacityToTheNew() {
        LayerBox from = new LayerBox(0, 10, 100, 50, 0.0);
        LayerBox to = new LayerBox(200, 30, 300, 150, 1.0);
        assertEquals(from, from.towards(to, 0));
        assertEquals(new LayerBox(50, 15, 150, 75, 0.25), from.towards(to, 0.25));
        assertEquals(new LayerBox(100, 20, 200, 100, 0.5), from.towards(to, 0.5));
        assertEquals(to, from.towards(to, 1));
        assertEquals(to, from.towards(to, 1.5), "never past the end");
    }

    @Test
    void aLayerFadesInAndAnotherGrowsWhileTheRestOfTheChangeCuts() {
        Layer background = new BackgroundLayer("bg", "#0000ff", null, null, null);
        StreamSpec before = spec(List.of(background, image("logo", 0, 0, 16, null), image("other", 40, 0, 16, null)));
        StreamSpec after = spec(List.of(background,
                image("logo", 0, 0, 32, new Transition("move", 400, null)),
                image("other", 40, 12, 16, null),
                image("badge", 40, 30, 16, new Transition("fade", 400, null))));
        SceneSlot slot = new SceneSlot(SceneCompiler.compile(before, MEDIA));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pixels = arena.allocate(I420Frame.frameBytes(W, H));
            slot.replaceWith(SceneCompiler.compile(after, MEDIA), null, new Transition("cut", null, null));

            slot.paint(pixels, 0, 0, 0);
            assertEquals(RED_Y, luma(pixels, 14, 14), "start: the logo at its old size");
            assertEquals(BLUE_Y, luma(pixels, 20, 20), "start: not grown yet");
            assertEquals(BLUE_Y, luma(pixels, 48, 36), "start: the badge not visible");
            assertEquals(RED_Y, luma(pixels, 48, 24), "the layer without a transition of its own cuts to its place");
            assertEquals(BLUE_Y, luma(pixels, 48, 4), "and left the old one at once");

            slot.paint(pixels, 5, 200_000, 0);
            assertEquals(RED_Y, luma(pixels, 22, 22), "middle: the logo 24 pixels wide");
            assertEquals(BLUE_Y, luma(pixels, 26, 26), "middle: not 32 yet");
            assertEquals((RED_Y + BLUE_Y) / 2.0, luma(pixels, 48, 36), 1.5, "middle: the badge half faded in");

            slot.paint(pixels, 10, 400_000, 0);
            assertEquals(RED_Y, luma(pixels, 30, 30), "end: the logo at its new size");
            assertEquals(BLUE_Y, luma(pixels, 34, 34));
            assertEquals(RED_Y, luma(pixels, 48, 36), "end: the badge fully there");
        }
        slot.close();
    }

    @Test
    void aLayerLeavingWithItsOwnFadeFadesOutWhileTheRestCuts() {
        Layer background = new BackgroundLayer("bg", "#0000ff", null, null, null);
        StreamSpec before = spec(List.of(background, image("gone", 0, 0, 16, new Transition("fade", 400, null))));
        StreamSpec after = spec(List.of(background));
        SceneSlot slot = new SceneSlot(SceneCompiler.compile(before, MEDIA));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pixels = arena.allocate(I420Frame.frameBytes(W, H));
            slot.replaceWith(SceneCompiler.compile(after, MEDIA), null, null);
            slot.paint(pixels, 0, 0, 0);
            assertEquals(RED_Y, luma(pixels, 8, 8), "start: still there");
            slot.paint(pixels, 5, 200_000, 0);
            assertEquals((RED_Y + BLUE_Y) / 2.0, luma(pixels, 8, 8), 1.5, "middle: half faded out");
            slot.paint(pixels, 10, 400_000, 0);
            assertEquals(BLUE_Y, luma(pixels, 8, 8), "end: gone");
        }
        slot.close();
    }

    private static final SceneMedia MEDIA = new SceneMedia() {
        @Override
        public BufferedImage image(String field, String src) {
            BufferedImage red = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    red.setRGB(x, y, 0xFFFF0000);
                }
            }
            return red;
        }

        @Override
        public VideoFeed video(String field, VideoLayer layer, int width, int height) {
            throw new UnsupportedOperationException();
        }
    };

    private static int luma(MemorySegment pixels, int x, int y) {
        return pixels.get(ValueLayout.JAVA_BYTE, (long) y * W + x) & 0xFF;
    }

    private static ImageLayer image(String id, int x, int y, int size, Transition transition) {
        return new ImageLayer(id, "asset:a0000000000000001", "fill", x, y, size, size, null, null, transition);
    }

    private static StreamSpec spec(List<Layer> layers) {
        return new StreamSpec("s", "s", new VideoSpec(W, H, 25), new SceneSpec(layers), null, null, null, 0, 1);
    }
}
