package io.streammanager.composition.scene;

/**
 * sRGB to Y'CbCr with the ITU-R BT.709 matrix in limited ("TV", "MPEG") range: Y' 16..235, Cb/Cr 16..240.
 *
 * <p>Why this one: the encoder hands our I420 frames to libx264 untouched, and HD H.264 streams are tagged
 * (and decoded by players) as BT.709 limited range. Rendering with the BT.601 matrix or full range would shift
 * colours and crush blacks on every player. Inputs are gamma-encoded R'G'B' (the spec's {@code #rrggbb});
 * no linearisation is done, as in every broadcast chain.
 */
public final class Bt709 {

    static final double KR = 0.2126;
    static final double KB = 0.0722;
    static final double KG = 1.0 - KR - KB;

    private Bt709() {
    }

    public static YuvColor toYuv(RgbColor rgb) {
        double r = rgb.red() / 255.0;
        double g = rgb.green() / 255.0;
        double b = rgb.blue() / 255.0;
        double luma = KR * r + KG * g + KB * b;
        double cb = (b - luma) / (2.0 * (1.0 - KB));
        double cr = (r - luma) / (2.0 * (1.0 - KR));
        return new YuvColor(
                clamp(16.0 + 219.0 * luma),
                clamp(128.0 + 224.0 * cb),
                clamp(128.0 + 224.0 * cr));
    }

    private static int clamp(double value) {
        return (int) Math.max(0, Math.min(255, Math.round(value)));
    }
}
