package io.streammanager.composition.scene;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Draws any layer at an opacity below 1: keeps a copy of the frame as it was below the layer, lets the layer paint,
 * then mixes the two. One frame copy and one pass per frame, so it is only used for layers that are not opaque
 * (and during fades); an opaque layer paints directly. {@link #opacity(double)} may change it from frame to frame.
 * A layer with sound (a video layer's {@link AudioTap}) is heard at its gain times the opacity it is painted at, and
 * times a {@link #soundWeight} that a whole-scene dissolve sets (it paints both scenes opaque, then mixes them).
 */
public final class OpacityPainter implements LayerPainter {

    private final LayerPainter layer;
    private final AudioTap sound; // null for a layer without sound
    private double soundWeight = 1;
    private Arena arena; // only once the layer is drawn below full opacity: most never are
    private MemorySegment below;
    private double opacity;

    public OpacityPainter(LayerPainter layer, double opacity) {
        this(layer, opacity, null);
    }

    OpacityPainter(LayerPainter layer, double opacity, AudioTap sound) {
        this.layer = layer;
        this.opacity = opacity;
        this.sound = sound;
    }

    public double opacity() {
        return opacity;
    }

    public void opacity(double value) {
        this.opacity = value;
    }

    public LayerPainter layer() {
        return layer;
    }

    /** How much of the layer's sound a dissolve between scenes lets through (1 when no dissolve runs). */
    public void soundWeight(double weight) {
        this.soundWeight = weight;
    }

    @Override
    public void paint(I420Frame frame, FrameContext context) {
        if (sound != null && opacity > 0) {
            sound.hear(Math.min(1, opacity) * soundWeight);
        }
        if (opacity <= 0) {
            return;
        }
        if (opacity >= 1) {
            layer.paint(frame, context);
            return;
        }
        MemorySegment pixels = frame.pixels();
        long size = frame.frameBytes();
        if (below == null || below.byteSize() != size) {
            if (arena == null) {
                arena = Arena.ofShared();
            }
            below = arena.allocate(size);
        }
        MemorySegment.copy(pixels, 0, below, 0, size);
        layer.paint(frame, context);
        mix(below, pixels, size, (int) Math.round(opacity * 255));
    }

    @Override
    public boolean coversFrame(I420Frame frame, FrameContext context) {
        return opacity >= 1 && layer.coversFrame(frame, context);
    }

    /** pixels = below + (pixels - below) * alpha / 255, over {@code size} bytes. */
    public static void mix(MemorySegment below, MemorySegment pixels, long size, int alpha) {
        for (long i = 0; i < size; i++) {
            byte above = pixels.get(JAVA_BYTE, i);
            byte under = below.get(JAVA_BYTE, i);
            if (above != under) {
                pixels.set(JAVA_BYTE, i, PictureBlender.mix(under & 0xFF, above & 0xFF, alpha));
            }
        }
    }

    @Override
    public void close() {
        layer.close();
        if (arena != null) {
            arena.close();
        }
    }
}
