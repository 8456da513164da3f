package io.streammanager.composition.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammanager.bus.control.spec.ApplyAt;
import io.streammanager.bus.control.spec.BackgroundLayer;
import io.streammanager.bus.control.spec.ImageLayer;
import io.streammanager.bus.control.spec.Layer;
import io.streammanager.bus.control.spec.SceneSpec;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.VideoLayer;
import io.streammanager.bus.control.spec.VideoSpec;
import io.streammanager.composition.scene.RgbColor;
import io.streammanager.composition.scene.SceneCompiler;
import io.streammanager.composition.scene.SceneMedia;
import io.streammanager.composition.scene.VideoFeed;
import java.awt.image.BufferedImage;
import io.streammanager.bus.control.spec.Transition;
import io.streammanager.composition.scene.FrameContext;
import io.streammanager.composition.scene.I420Frame;
import io.streammanager.composition.scene.LayerPainter;
import io.streammanager.composition.scene.SceneRenderer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Scene hand-over between a request thread and the clock thread. */
class SceneSlotTest {

    private static final int W = 64;
    private static final int H = 48;

    @Test
    void everyFrameIsWhollyOneSceneAndEveryRetiredSceneIsClosed() throws Exception {
        List<Fill> made = new ArrayList<>();
        Fill first = new Fill(1);
        made.add(first);
        SceneSlot slot = new SceneSlot(scene(first));
        int frames = 400;
        List<Integer> seen = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pixels = arena.allocate(I420Frame.frameBytes(W, H));
            Thread replacer = Thread.ofPlatform().start(() -> {
                for (int value = 2; value <= 60; value++) {
                    Fill next = new Fill(value);
                    synchronized (made) {
                        made.add(next);
                    }
                    slot.replaceWith(scene(next));
                    Thread.onSpinWait();
                }
            });
            for (int frame = 0; frame < frames || replacer.isAlive(); frame++) {
                slot.paint(pixels, frame, frame * 40_000L, 0);
                int value = pixels.get(ValueLayout.JAVA_BYTE, 0);
                for (long i = 0; i < (long) W * H; i++) {
                    assertEquals(value, pixels.get(ValueLayout.JAVA_BYTE, i), "frame " + frame + " is one scene");
                }
                if (seen.isEmpty() || seen.getLast() != value) {
                    seen.add(value);
                }
            }
            replacer.join();
            slot.paint(pixels, frames, 0, 0);
            assertEquals(60, pixels.get(ValueLayout.JAVA_BYTE, 0), "the newest scene wins");
        }
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) > seen.get(i - 1), "scenes never go back: " + seen);
        }
        slot.close();
        synchronized (made) {
            for (Fill fill : made) {
                assertEquals(1, fill.closed.get(), "scene " + fill.value + " closed exactly once");
            }
        }
    }

    @Test
    void aChangeWithApplyAtWaitsForTheFirstFrameAtOrAfterItsPts() {
        Fill first = new Fill(1);
        Fill second = new Fill(2);
        SceneSlot slot = new SceneSlot(scene(first));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pixels = arena.allocate(I420Frame.frameBytes(W, H));
            slot.replaceWith(scene(second), new ApplyAt(120_000L, null), null);
            for (int frame = 0; frame < 6; frame++) {
                slot.paint(pixels, frame, frame * 40_000L, 0);
                assertEquals(frame < 3 ? 1 : 2, pixels.get(ValueLayout.JAVA_BYTE, 0), "frame " + frame);
            }
            assertEquals(120_000L, slot.lastSwapPtsUs());
            assertEquals(1, first.closed.get(), "the retired scene is closed at the swap");
        }
        slot.close();
    }

    @Test
    void aWallClockCueUsesTheCaptureTime() {
        SceneSlot slot = new SceneSlot(scene(new Fill(1)));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pixels = arena.allocate(I420Frame.frameBytes(W, H));
            slot.replaceWith(scene(new Fill(2)), new ApplyAt(null, 5_000L), null);
            slot.paint(pixels, 0, 0, 4_999_000L);
            assertEquals(1, pixels.get(ValueLayout.JAVA_BYTE, 0));
            slot.paint(pixels, 1, 40_000, 5_000_000L);
            assertEquals(2, pixels.get(ValueLayout.JAVA_BYTE, 0));
        }
        slot.close();
    }

    @Test
    void aFadeDissolvesTheOldSceneIntoTheNewOverItsDuration() {
        Fill old = new Fill(0);
        SceneSlot slot = new SceneSlot(scene(old));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pixels = arena.allocate(I420Frame.frameBytes(W, H));
            slot.replaceWith(scene(new Fill(100)), null, new Transition("fade", 400, "linear"));
            List<Integer> luma = new ArrayList<>();
            for (int frame = 0; frame < 13; frame++) {
                slot.paint(pixels, frame, frame * 40_000L, 0);
                luma.add(pixels.get(ValueLayout.JAVA_BYTE, 0) & 0xFF);
            }
            assertEquals(0, luma.getFirst(), "the swap frame still shows the old scene");
            assertEquals(50, luma.get(5), 1, "halfway through the fade: " + luma);
            assertEquals(100, luma.get(10), "the fade is over after its duration: " + luma);
            for (int i = 1; i < luma.size(); i++) {
                assertTrue(luma.get(i) >= luma.get(i - 1), "a fade only moves forward: " + luma);
            }
            assertEquals(1, old.closed.get(), "the old scene is closed once the fade is over");
        }
        slot.close();
    }

    @Test
    void aMoveGlidesAKeptLayerFadesInAnAddedOneAndFadesOutARemovedOne() {
        BufferedImage red = new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                red.setRGB(x, y, 0xFFFF0000);
            }
        }
        SceneMedia media = new SceneMedia() {
            @Override
            public BufferedImage image(String field, String source) {
                return red;
            }

            @Override
            public VideoFeed video(String field, VideoLayer layer, int width, int height) {
                throw new UnsupportedOperationException();
            }
        };
        Layer background = new BackgroundLayer("bg", "#0000ff", null, null, null);
        StreamSpec before = spec(List.of(background, image("logo", 0, 0), image("gone", 0, 30)));
        StreamSpec after = spec(List.of(background, image("logo", 40, 0), image("new", 40, 30)));
        SceneSlot slot = new SceneSlot(SceneCompiler.compile(before, media));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pixels = arena.allocate(I420Frame.frameBytes(W, H));
            slot.replaceWith(SceneCompiler.compile(after, media), null, new Transition("move", 400, null));
            int redY = RgbColor.parse("#ff0000").toYuv().y();
            int blueY = RgbColor.parse("#0000ff").toYuv().y();
            for (int frame = 0; frame <= 5; frame++) {
                slot.paint(pixels, frame, frame * 40_000L, 0);
            }
            // halfway (pts 200 ms of 400): the logo is at x = 20; the removed and the added layer are half visible
            assertEquals(redY, luma(pixels, 24, 8), "the logo halfway");
            assertEquals(blueY, luma(pixels, 4, 8), "no longer at its old place");
            assertEquals(blueY, luma(pixels, 44, 8), "not yet at its new place");
            assertEquals((redY + blueY) / 2.0, luma(pixels, 4, 38), 1.5, "the removed layer half faded out");
            assertEquals((redY + blueY) / 2.0, luma(pixels, 44, 38), 1.5, "the added layer half faded in");
            for (int frame = 6; frame <= 11; frame++) {
                slot.paint(pixels, frame, frame * 40_000L, 0);
            }
            assertEquals(redY, luma(pixels, 44, 8), "the logo arrived");
            assertEquals(blueY, luma(pixels, 24, 8));
            assertEquals(blueY, luma(pixels, 4, 38), "the removed layer is gone");
            assertEquals(redY, luma(pixels, 44, 38), "the added layer is fully there");
        }
        slot.close();
    }

    private static int luma(MemorySegment pixels, int x, int y) {
        return pixels.get(ValueLayout.JAVA_BYTE, (long) y * W + x) & 0xFF;
    }

    private static ImageLayer image(String id, int x, int y) {
        return new ImageLayer(id, "asset:a0000000000000001", "fill", x, y, 16, 16, null, null);
    }

    private static StreamSpec spec(List<Layer> layers) {
        return new StreamSpec("s", "s", new VideoSpec(W, H, 25), new SceneSpec(layers), null, null, null, 0, 1);
    }

    private static SceneRenderer scene(Fill fill) {
        return new SceneRenderer(W, H, "slot", List.of(fill));
    }

    /** Paints the Y plane with one value and counts its closes. */
    private static final class Fill implements LayerPainter {
        final int value;
        final AtomicInteger closed = new AtomicInteger();

        Fill(int value) {
            this.value = value;
        }

        @Override
        public void paint(I420Frame frame, FrameContext context) {
            frame.pixels().asSlice(0, (long) frame.width() * frame.height()).fill((byte) value);
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }
}
