package io.streammanager.composition.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SceneRendererTest {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment pixels = arena.allocate(I420Frame.frameBytes(WIDTH, HEIGHT));
    private final I420Probe probe = new I420Probe(WIDTH, HEIGHT, pixels);

    @AfterEach
    void freeFrame() {
        arena.close();
    }

    @Test
    void solidBackgroundFillsEveryPlaneWithTheColoursBt709Values() {
        try (SceneRenderer scene = scene(new SolidBackground(RgbColor.parse("#ff0000")))) {
            scene.render(pixels, 0, 0, 0);
        }
        YuvColor red = new YuvColor(63, 102, 240);
        assertEquals(red, probe.at(0, 0));
        assertEquals(red, probe.at(WIDTH - 1, HEIGHT - 1));
        assertEquals(red, probe.at(WIDTH / 2, HEIGHT / 3));
    }

    @Test
    void verticalGradientRunsFromTheTopColourToTheBottomColour() {
        try (SceneRenderer scene = scene(new GradientBackground(WIDTH, HEIGHT, RgbColor.parse("#000000"),
                RgbColor.parse("#ffffff"), GradientDirection.VERTICAL))) {
            scene.render(pixels, 0, 0, 0);
        }
        assertTrue(probe.y(10, 0) <= 17, "top is black: " + probe.y(10, 0));
        assertTrue(probe.y(10, HEIGHT - 1) >= 234, "bottom is white: " + probe.y(10, HEIGHT - 1));
        for (int y = 1; y < HEIGHT; y++) {
            assertTrue(probe.y(100, y) >= probe.y(100, y - 1), "luma never decreases downwards, row " + y);
        }
        assertEquals(probe.y(0, HEIGHT / 2), probe.y(WIDTH - 1, HEIGHT / 2), "rows are flat");
    }

    @Test
    void horizontalGradientRunsFromLeftToRight() {
        try (SceneRenderer scene = scene(new GradientBackground(WIDTH, HEIGHT, RgbColor.parse("#0000ff"),
                RgbColor.parse("#ff0000"), GradientDirection.HORIZONTAL))) {
            scene.render(pixels, 0, 0, 0);
        }
        assertTrue(probe.u(0, 5) > 230 && probe.v(0, 5) < 125, "blue on the left: " + probe.at(0, 5));
        assertTrue(probe.v(WIDTH - 1, 5) > 230 && probe.u(WIDTH - 1, 5) < 110, "red on the right");
        assertEquals(probe.at(WIDTH / 3, 0), probe.at(WIDTH / 3, HEIGHT - 1), "columns are flat");
    }

    @Test
    void rectangleStartsTopLeftAndMovesWithTheFrameTime() {
        YuvColor orange = RgbColor.parse("#ff8800").toYuv();
        try (SceneRenderer scene = scene(new SolidBackground(RgbColor.BLACK),
                new MovingShape(ShapeKind.RECTANGLE, RgbColor.parse("#ff8800"), 40, 30, 100, 50))) {
            scene.render(pixels, 0, 0, 0);
            assertEquals(orange, probe.at(0, 0));
            assertEquals(orange, probe.at(39, 29));
            assertEquals(new YuvColor(16, 128, 128), probe.at(41, 31));

            scene.render(pixels, 30, 1_000_000, 0);
            assertEquals(new YuvColor(16, 128, 128), probe.at(0, 0), "old position is repainted by the background");
            assertEquals(orange, probe.at(100, 50));
            assertEquals(orange, probe.at(139, 79));
            assertEquals(new YuvColor(16, 128, 128), probe.at(99, 49));
            assertEquals(new YuvColor(16, 128, 128), probe.at(141, 81));
        }
    }

    @Test
    void shapeBouncesOffTheFrameEdges() {
        MovingShape shape = new MovingShape(ShapeKind.RECTANGLE, RgbColor.parse("#ffffff"), 64, 40, 100, 100);
        try (SceneRenderer scene = scene(new SolidBackground(RgbColor.BLACK), shape)) {
            // x range is 320 - 64 = 256: after 3 s it has travelled 300 px, so it is 44 px back from the right wall.
            scene.render(pixels, 90, 3_000_000, 0);
            assertEquals(256 - 44, shape.lastX());
            // y range is 240 - 40 = 200: 300 px is the right wall (200) and 100 px back.
            assertEquals(100, shape.lastY());
            assertEquals(235, probe.y(212, 100));
            assertEquals(235, probe.y(212 + 63, 100 + 39));
            assertEquals(16, probe.y(211, 100));
            // Exactly one full round trip later, it is back where it was.
            scene.render(pixels, 0, 3_000_000 + 5_120_000, 0);
            assertEquals(212, shape.lastX());
        }
    }

    @Test
    void circleFillsItsCentreButNotTheCornersOfItsBox() {
        try (SceneRenderer scene = scene(new SolidBackground(RgbColor.BLACK),
                new MovingShape(ShapeKind.CIRCLE, RgbColor.parse("#ffffff"), 60, 60, 0, 0))) {
            scene.render(pixels, 0, 0, 0);
        }
        assertEquals(235, probe.y(30, 30));
        assertEquals(235, probe.y(1, 30), "left edge at mid height");
        assertEquals(16, probe.y(1, 1), "box corner stays background");
        assertEquals(16, probe.y(58, 58));
    }

    @Test
    void textChangesPixelsOnlyWhereItIsDrawnAndFollowsTheFrameNumber() {
        try (SceneRenderer scene = scene(new SolidBackground(RgbColor.BLACK),
                new TextOverlay("frame {frame}", 20, 40, 32, RgbColor.parse("#ffffff"), WIDTH, HEIGHT))) {
            scene.render(pixels, 1, 0, 0);
            byte[] first = pixels.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            scene.render(pixels, 2, 0, 0);
            byte[] second = pixels.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);

            int lit = 0;
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    int luma = first[y * WIDTH + x] & 0xFF;
                    boolean insideTextBox = x >= 20 && y >= 40 && y < 40 + 48;
                    if (!insideTextBox) {
                        assertEquals(16, luma, "untouched outside the text at " + x + "," + y);
                    } else if (luma > 200) {
                        lit++;
                    }
                }
            }
            assertTrue(lit > 100, "text lights up glyph pixels: " + lit);
            assertNotEquals(java.util.Arrays.hashCode(first), java.util.Arrays.hashCode(second),
                    "frame 1 and frame 2 show different numbers");
        }
    }

    private static SceneRenderer scene(LayerPainter... painters) {
        return new SceneRenderer(WIDTH, HEIGHT, "test", List.of(painters));
    }
}
