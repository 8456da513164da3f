package io.streammanager.composition.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hold, fallback and slate, driven by a hand-written feed. */
class VideoLayerPainterTest {

    private static final int WIDTH = 64;
    private static final int HEIGHT = 48;
    private static final YuvColor GREEN = RgbColor.parse("#00ff00").toYuv();
    private static final YuvColor YELLOW = RgbColor.parse("#ffff00").toYuv();
    private static final YuvColor BLUE = RgbColor.parse("#0000ff").toYuv();
    private static final YuvColor GREY = RgbColor.parse("#808080").toYuv();

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment pixels = arena.allocate(I420Frame.frameBytes(WIDTH, HEIGHT));
    private final I420Probe probe = new I420Probe(WIDTH, HEIGHT, pixels);

    @AfterEach
    void free() {
        arena.close();
    }

    /** A feed whose liveness and last arrival the test sets; its one frame is solid green, 16x16. */
    static final class FakeFeed implements VideoFeed {
        final MemorySegment frame;
        boolean live = true;
        long lastFrameNs = System.nanoTime();

        FakeFeed(Arena arena) {
            frame = arena.allocate(16 * 16 * 3 / 2);
            frame.asSlice(0, 256).fill(GREEN.yByte());
            frame.asSlice(256, 64).fill(GREEN.uByte());
            frame.asSlice(320, 64).fill(GREEN.vByte());
        }

        @Override
        public VideoFrame frameForClock() {
            return VideoFrame.packed(16, 16, frame, lastFrameNs);
        }

        @Override
        public long lastFrameNs() {
            return lastFrameNs;
        }

        @Override
        public boolean live() {
            return live;
        }
    }

    private void render(SceneRenderer scene) {
        try (scene) {
            scene.render(pixels, 0, 0, 0);
        }
    }

    @Test
    void aDownSourceHoldsItsLastFrameThenShowsItsFallback() {
        FakeFeed feed = new FakeFeed(arena);
        LayerPainter fallback = new PicturePainter(Picture.solid(RgbColor.parse("#ffff00"), 16, 16), 8, 8);
        VideoPainter video = new VideoPainter(feed, 8, 8, 1_000_000_000L, fallback, false);
        SceneRenderer scene = new SceneRenderer(WIDTH, HEIGHT, "t",
                List.of(new SolidBackground(RgbColor.parse("#0000ff")), video));
        scene.render(pixels, 0, 0, 0);
        assertEquals(GREEN, probe.at(10, 10));
        feed.live = false;
        feed.lastFrameNs = System.nanoTime() - 500_000_000L;
        scene.render(pixels, 1, 0, 0);
        assertEquals(GREEN, probe.at(10, 10), "within holdMs the last frame stays");
        feed.lastFrameNs = System.nanoTime() - 1_500_000_000L;
        scene.render(pixels, 2, 0, 0);
        assertEquals(YELLOW, probe.at(10, 10), "after holdMs the fallback shows");
        assertEquals(BLUE, probe.at(40, 40));
        scene.close();
    }

    @Test
    void aHiddenFallbackShowsWhatIsBelow() {
        FakeFeed feed = new FakeFeed(arena);
        feed.live = false;
        feed.lastFrameNs = System.nanoTime() - 5_000_000_000L;
        render(new SceneRenderer(WIDTH, HEIGHT, "t", List.of(new SolidBackground(RgbColor.parse("#0000ff")),
                new VideoPainter(feed, 8, 8, 1_000_000_000L, null, true))));
        assertEquals(BLUE, probe.at(10, 10));
    }

    @Test
    void theSlateReplacesTheProgramWhileAPrimarySourceIsDown() {
        FakeFeed feed = new FakeFeed(arena);
        VideoPainter video = new VideoPainter(feed, 8, 8, 1_000_000_000L, null, false);
        SceneRenderer scene = new SceneRenderer(WIDTH, HEIGHT, "t",
                List.of(new SolidBackground(RgbColor.parse("#0000ff")), video), List.of(video),
                List.of(new SolidBackground(RgbColor.parse("#808080"))));
        scene.render(pixels, 0, 0, 0);
        assertEquals(GREEN, probe.at(10, 10));
        feed.live = false;
        feed.lastFrameNs = System.nanoTime() - 2_000_000_000L;
        scene.render(pixels, 1, 0, 0);
        assertEquals(GREY, probe.at(10, 10), "slate over the whole frame");
        assertEquals(GREY, probe.at(40, 40));
        feed.live = true;
        feed.lastFrameNs = System.nanoTime();
        scene.render(pixels, 2, 0, 0);
        assertEquals(GREEN, probe.at(10, 10), "the program is back with its source");
        scene.close();
    }
}
