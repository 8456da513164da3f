package io.streammanager.composition.scene;

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
    private int boxWidth;
    private int boxHeight;
    private VideoFrame taken;
    private long takenFor = -1;
    private boolean fallbackNow;

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
        this.boxWidth = width;
        this.boxHeight = height;
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

    /** Takes this frame's picture from the feed once, whether {@link #coversFrame} or {@link #paint} asks first. */
    private VideoFrame take(FrameContext context) {
        if (takenFor != context.serial()) {
            if (boxWidth > 0 && boxHeight > 0) {
                feed.size(boxWidth, boxHeight); // the source scales its next decoded frames to a changed box
            }
            taken = feed.frameForClock();
            fallbackNow = down(System.nanoTime());
            takenFor = context.serial();
        }
        return taken;
    }

    @Override
    public boolean coversFrame(I420Frame frame, FrameContext context) {
        VideoFrame current = take(context);
        if (current == null || fallbackNow) {
            return false;
        }
        int left = (x + dx) & ~1;
        int top = (y + dy) & ~1;
        return left <= 0 && top <= 0 && left + current.width() >= frame.width()
                && top + current.height() >= frame.height();
    }

    @Override
    public void paint(I420Frame frame, FrameContext context) {
        VideoFrame current = take(context);
        if (fallbackNow) {
            if (fallback != null) {
                fallback.paint(frame, context);
                return;
            }
            if (hideOnFallback) {
                return;
            }
        }
        if (current != null) {
            PictureBlender.copy(frame, current, x + dx, y + dy);
        }
    }

    @Override
    public void place(int dx, int dy, double scaleX, double scaleY) {
        this.dx = dx;
        this.dy = dy;
        if (width > 0 && height > 0) {
            this.boxWidth = scaleX == 1 ? width : Movable.scaled(width, scaleX);
            this.boxHeight = scaleY == 1 ? height : Movable.scaled(height, scaleY);
        }
        if (fallback instanceof Movable movable) {
            movable.place(dx, dy, scaleX, scaleY);
        }
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public void close() {
        if (fallback != null) {
            fallback.close();
        }
    }
}
