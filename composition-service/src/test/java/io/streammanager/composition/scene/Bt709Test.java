package io.streammanager.composition.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class Bt709Test {

    @Test
    void blackAndWhiteMapToTheLimitedRangeEnds() {
        assertEquals(new YuvColor(16, 128, 128), RgbColor.parse("#000000").toYuv());
        assertEquals(new YuvColor(235, 128, 128), RgbColor.parse("#ffffff").toYuv());
    }

    @Test
    void primariesUseTheBt709MatrixNotBt601() {
        // BT.709: Y = 16 + 219 * (0.2126 R + 0.7152 G + 0.0722 B); BT.601 would give red Y = 81, green Y = 145.
        assertEquals(new YuvColor(63, 102, 240), RgbColor.parse("#ff0000").toYuv());
        assertEquals(new YuvColor(173, 42, 26), RgbColor.parse("#00ff00").toYuv());
        assertEquals(new YuvColor(32, 240, 118), RgbColor.parse("#0000ff").toYuv());
    }

    @Test
    void hexColoursParseCaseInsensitively() {
        assertEquals(new RgbColor(0xab, 0xcd, 0xef), RgbColor.parse("#ABcdEF"));
    }
}
