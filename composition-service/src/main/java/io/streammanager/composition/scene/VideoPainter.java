package io.streammanager.composition.scene;

import java.lang.foreign.MemorySegment;

/**
 * A video layer: the newest frame of its source at its box. While the source is not live it holds the last frame
 * for {@code holdNs}, then paints its fallback (a colour or picture in the box, or nothing); without a fallback the
 * last frame stays. Never waits for the source.
 */
public final class VideoPainter implements LayerPainter, Movable {

    private final VideoFeed feed;
    private final int x;
    private final int y;
    private final long holdNs;
    private final LayerPainter fallback;
    private final boolean hideOnFallback;
    private final int width;
    private final int height;
    private int dx;
    private int dy;

    /**
     * @param fallback       painted once the hold time is over; null keeps the last frame (or nothing when hidden)
     * @param hideOnFallback true paints nothing once the hold time is over
     */
    public VideoPainter(VideoFeed feed, int x, int y, long holdNs, LayerPainter fallback, boolean hideOnFallback) {
        this(feed, x, y, 0, 0, holdNs, fallback, hideOnFallback);
    }

    /** @param width the box's width (0: whatever size the feed delivers), @param height its height */
    public VideoPainter(VideoFeed feed, int x, int y, int width, int height, long holdNs, LayerPainter fallback,
                        boolean hideOnFallback) {
        this.width = width;
        this.height = height;
        this.feed = feed;
        this.x = x;
        this.y = y;
        this.holdNs = holdNs;
        this.fallback = fallback;
        this.hideOnFallback = hideOnFallback;
    }

    /** True when the source has been down longer than its hold time (or never delivered a frame). */
    public boolean down(long nowNs) {
        if (feed.live()) {
            return false;
        }
        long last = feed.lastFrameNs();
        return last == 0 || nowNs - last > holdNs;
    }

    @Override
    public void paint(I420Frame frame, FrameContext context) {
        if (width > 0 && height > 0) {
            feed.size(width, height);
        }
        VideoFrame current = feed.frameForClock();
        if (down(System.nanoTime())) {
            if (fallback != null) {
                fallback.paint(frame, context);
                return;
            }
            if (hideOnFallback) {
                return;
            }
        }
        if (current != null) {
            int w = current.width();
            int h = current.height();
            MemorySegment pixels = current.pixels();
            long lumaBytes = (long) w * h;
            long chromaBytes = lumaBytes / 4;
            PictureBlender.blendPlanes(frame, pixels.asSlice(0, lumaBytes), pixels.asSlice(lumaBytes, chromaBytes),
                    pixels.asSlice(lumaBytes + chromaBytes, chromaBytes), null, null, w, h, x + dx, y + dy);
        }
    }

    @Override
    public void shift(int dx, int dy) {
        this.dx = dx;
        this.dy = dy;
        if (fallback instanceof Movable movable) {
            movable.shift(dx, dy);
        }
    }

    @Override
    public void close() {
        if (fallback != null) {
            fallback.close();
        }
    }
}
