package io.streammanager.composition.scene;

/** Fills the whole frame with one colour: three plane-wide fills, the cheapest possible background. */
public final class SolidBackground implements LayerPainter {

    private final byte y;
    private final byte u;
    private final byte v;

    public SolidBackground(RgbColor color) {
        YuvColor yuv = color.toYuv();
        this.y = yuv.yByte();
        this.u = yuv.uByte();
        this.v = yuv.vByte();
    }

    @Override
    public void paint(I420Frame frame, FrameContext context) {
        var pixels = frame.pixels();
        pixels.asSlice(0, frame.yPlaneBytes()).fill(y);
        pixels.asSlice(frame.uPlaneOffset(), frame.chromaPlaneBytes()).fill(u);
        pixels.asSlice(frame.vPlaneOffset(), frame.chromaPlaneBytes()).fill(v);
    }
}
