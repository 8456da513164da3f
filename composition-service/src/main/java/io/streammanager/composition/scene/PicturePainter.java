package io.streammanager.composition.scene;

/**
 * A still picture (an image layer, a fallback or slate picture) at a fixed place: decoded and scaled at compile.
 * While a transition changes its size it draws the picture rescaled to the box of that frame (from the compiled
 * picture, kept until the size changes again), and the compiled one again once back at its own size.
 */
public final class PicturePainter implements LayerPainter, Movable {

    private final Picture picture;
    private final int x;
    private final int y;
    private Picture drawn;
    private byte[] scratch;
    private int dx;
    private int dy;

    public PicturePainter(Picture picture, int x, int y) {
        this.picture = picture;
        this.drawn = picture;
        this.x = x;
        this.y = y;
        this.scratch = new byte[picture.width()];
    }

    @Override
    public void paint(I420Frame frame, FrameContext context) {
        PictureBlender.blend(frame, drawn, x + dx, y + dy, scratch);
    }

    @Override
    public void place(int dx, int dy, double scaleX, double scaleY) {
        this.dx = dx;
        this.dy = dy;
        int width = scaleX == 1 ? picture.width() : Movable.scaled(picture.width(), scaleX);
        int height = scaleY == 1 ? picture.height() : Movable.scaled(picture.height(), scaleY);
        if (width == drawn.width() && height == drawn.height()) {
            return;
        }
        drawn = width == picture.width() && height == picture.height() ? picture : picture.scaled(width, height);
        if (scratch.length < width) {
            scratch = new byte[width];
        }
    }

    @Override
    public int width() {
        return picture.width();
    }

    @Override
    public int height() {
        return picture.height();
    }
}
