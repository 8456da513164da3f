package io.streammanager.composition.scene;

/** A still picture (an image layer, a fallback or slate picture) at a fixed place: decoded and scaled at compile. */
public final class PicturePainter implements LayerPainter, Movable {

    private final Picture picture;
    private final byte[] scratch;
    private final int x;
    private final int y;
    private int dx;
    private int dy;

    public PicturePainter(Picture picture, int x, int y) {
        this.picture = picture;
        this.scratch = new byte[picture.width()];
        this.x = x;
        this.y = y;
    }

    @Override
    public void paint(I420Frame frame, FrameContext context) {
        PictureBlender.blend(frame, picture, x + dx, y + dy, scratch);
    }

    @Override
    public void shift(int dx, int dy) {
        this.dx = dx;
        this.dy = dy;
    }
}
