package io.streammanager.composition.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
