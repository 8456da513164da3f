package io.streammanager.composition.scene;

import java.util.regex.Pattern;

/** An sRGB colour with 8 bits per channel, parsed from the spec's {@code "#rrggbb"} form. */
public record RgbColor(int red, int green, int blue) {

    private static final Pattern HEX = Pattern.compile("#[0-9a-fA-F]{6}");

    public static final RgbColor BLACK = new RgbColor(0, 0, 0);

    public RgbColor {
        checkChannel("red", red);
        checkChannel("green", green);
        checkChannel("blue", blue);
    }

    public static boolean isValid(String hex) {
        return hex != null && HEX.matcher(hex).matches();
    }

    public static RgbColor parse(String hex) {
        if (!isValid(hex)) {
            throw new IllegalArgumentException("colour must look like #rrggbb: " + hex);
        }
        int value = Integer.parseInt(hex.substring(1), 16);
        return new RgbColor((value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF);
    }

    /** Linear interpolation per channel; {@code t} in [0, 1]. */
    public RgbColor mix(RgbColor to, double t) {
        return new RgbColor(
                (int) Math.round(red + (to.red - red) * t),
                (int) Math.round(green + (to.green - green) * t),
                (int) Math.round(blue + (to.blue - blue) * t));
    }

    public YuvColor toYuv() {
        return Bt709.toYuv(this);
    }

    private static void checkChannel(String name, int value) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException(name + "=" + value + " is outside 0..255");
        }
    }
}
