package io.streammanager.composition.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PictureLayerTest {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private static final YuvColor BLUE = RgbColor.parse("#0000ff").toYuv();
    private static final YuvColor RED = RgbColor.parse("#ff0000").toYuv();

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment pixels = arena.allocate(I420Frame.frameBytes(WIDTH, HEIGHT));
    private final I420Probe probe = new I420Probe(WIDTH, HEIGHT, pixels);

    @AfterEach
    void freeFrame() {
        arena.close();
    }

    /** Left half opaque red, right half fully transparent. */
    private static BufferedImage halfTransparentRed(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, x < width / 2 ? 0xFFFF0000 : 0x00000000);
            }
        }
        return image;
    }

    private void render(LayerPainter... layers) {
        List<LayerPainter> painters = new java.util.ArrayList<>();
        painters.add(new SolidBackground(RgbColor.parse("#0000ff")));
        painters.addAll(List.of(layers));
        try (SceneRenderer scene = new SceneRenderer(WIDTH, HEIGHT, "t", painters)) {
            scene.render(pixels, 0, 0, 0);
        }
    }

    @Test
    void anOpaquePartCoversAndATransparentPartShowsWhatIsBelow() {
        render(new PicturePainter(ImageFit.FILL.fit(halfTransparentRed(40, 40), 40, 40), 100, 60));
        assertEquals(RED, probe.at(110, 70));
        assertEquals(BLUE, probe.at(130, 70), "transparent pixels leave the background");
        assertEquals(BLUE, probe.at(90, 70), "outside the box");
    }

    @Test
    void aBoxPastTheCanvasIsClippedNotRefused() {
        render(new PicturePainter(Picture.solid(RgbColor.parse("#ff0000"), 100, 100), WIDTH - 20, -50));
        assertEquals(RED, probe.at(WIDTH - 1, 0));
        assertEquals(RED, probe.at(WIDTH - 20, 48));
        assertEquals(BLUE, probe.at(WIDTH - 21, 10));
        assertEquals(BLUE, probe.at(WIDTH - 1, 52));
        render(new PicturePainter(Picture.solid(RgbColor.parse("#ff0000"), 100, 100), -500, -500));
        assertEquals(BLUE, probe.at(0, 0), "wholly outside: nothing drawn, nothing thrown");
    }

    @Test
    void containLetterboxesAndCoverFillsTheBox() {
        BufferedImage wide = new BufferedImage(200, 50, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 50; y++) {
            for (int x = 0; x < 200; x++) {
                wide.setRGB(x, y, 0xFFFF0000);
            }
        }
        Picture contained = ImageFit.CONTAIN.fit(wide, 100, 100);
        render(new PicturePainter(contained, 0, 0));
        assertEquals(RED, probe.at(50, 50), "the picture sits in the middle");
        assertEquals(BLUE, probe.at(50, 10), "with transparent bars above and below");
        render(new PicturePainter(ImageFit.COVER.fit(wide, 100, 100), 0, 0));
        assertEquals(RED, probe.at(50, 4));
        assertEquals(RED, probe.at(4, 96));
    }

    @Test
    void halfOpacityMixesTheLayerWithWhatIsBelow() {
        render(new OpacityPainter(new PicturePainter(Picture.solid(RgbColor.parse("#ff0000"), 40, 40), 0, 0), 0.5));
        YuvColor mixed = probe.at(10, 10);
        assertTrue(Math.abs(mixed.y() - (RED.y() + BLUE.y()) / 2) <= 1, "luma halfway: " + mixed);
        assertTrue(Math.abs(mixed.v() - (RED.v() + BLUE.v()) / 2) <= 1, "chroma halfway: " + mixed);
        assertEquals(BLUE, probe.at(60, 60), "the rest of the frame is untouched");
    }
}
