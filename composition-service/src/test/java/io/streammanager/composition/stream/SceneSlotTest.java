package io.streammanager.composition.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammanager.bus.control.spec.ApplyAt;
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
