package io.streammanager.composition.scene;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A filled rectangle or circle moving at constant speed and bouncing off the frame edges. It starts in the
 * top-left corner. Positions are rounded down to even pixels so luma and 4:2:0 chroma edges line up; the fill
 * is a row copy from a pre-filled colour row per plane (no per-pixel work, no allocation).
 */
public final class MovingShape implements LayerPainter {

    private final Arena arena = Arena.ofShared();
    private final ShapeMask lumaMask;
    private final ShapeMask chromaMask;
    private final double speedX;
    private final double speedY;
    private final MemorySegment yRow;
    private final MemorySegment uRow;
    private final MemorySegment vRow;
    private int lastX;
    private int lastY;

    private final int startX;
    private final int startY;

    public MovingShape(ShapeKind kind, RgbColor color, int width, int height, double speedX, double speedY) {
        this(kind, color, width, height, speedX, speedY, 0, 0);
    }

    /** Starts at ({@code startX}, {@code startY}), clamped into the frame as it bounces. */
    public MovingShape(ShapeKind kind, RgbColor color, int width, int height, double speedX, double speedY,
                       int startX, int startY) {
        this.startX = Math.max(0, startX);
        this.startY = Math.max(0, startY);
        this.lumaMask = ShapeMask.of(kind, width, height);
        this.chromaMask = ShapeMask.of(kind, (width + 1) / 2, (height + 1) / 2);
        this.speedX = speedX;
        this.speedY = speedY;
        YuvColor yuv = color.toYuv();
        this.yRow = arena.allocate(width).fill(yuv.yByte());
        this.uRow = arena.allocate(chromaMask.width()).fill(yuv.uByte());
        this.vRow = arena.allocate(chromaMask.width()).fill(yuv.vByte());
    }

    @Override
    public void paint(I420Frame frame, FrameContext context) {
        int rangeX = frame.width() - lumaMask.width();
        int rangeY = frame.height() - lumaMask.height();
        int x = (int) Bounce.position(Math.min(startX, rangeX), speedX, rangeX, context.ptsUs()) & ~1;
        int y = (int) Bounce.position(Math.min(startY, rangeY), speedY, rangeY, context.ptsUs()) & ~1;
        lastX = x;
        lastY = y;
        MemorySegment pixels = frame.pixels();
        for (int row = 0; row < lumaMask.height(); row++) {
            int py = y + row;
            if (py >= frame.height()) {
                break;
            }
            int from = x + lumaMask.spanStart(row);
            int length = Math.min(lumaMask.spanLength(row), frame.width() - from);
            if (length > 0) {
                MemorySegment.copy(yRow, 0, pixels, frame.yOffset(from, py), length);
            }
        }
        int cx = x / 2;
        int cy = y / 2;
        for (int row = 0; row < chromaMask.height(); row++) {
            int py = cy + row;
            if (py >= frame.chromaHeight()) {
                break;
            }
            int from = cx + chromaMask.spanStart(row);
            int length = Math.min(chromaMask.spanLength(row), frame.chromaWidth() - from);
            if (length > 0) {
                MemorySegment.copy(uRow, 0, pixels, frame.uOffset(from, py), length);
                MemorySegment.copy(vRow, 0, pixels, frame.vOffset(from, py), length);
            }
        }
    }

    /** Top-left corner drawn in the last frame (for tests and diagnostics). */
    public int lastX() {
        return lastX;
    }

    public int lastY() {
        return lastY;
    }

    @Override
    public void close() {
        arena.close();
    }
}
