package io.streammanager.bus.shm;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class FrameGeometryTest {

    @Test
    void i420HasLumaThenQuarterSizeChromaPlanes() {
        FrameGeometry geometry = new FrameGeometry(640, 360, PixelFormat.I420, 30);
        assertEquals(3, geometry.planeCount());
        assertEquals(0, geometry.planeOffset(0));
        assertEquals(640 * 360, geometry.planeOffset(1));
        assertEquals(640 * 360 + 320 * 180, geometry.planeOffset(2));
        assertEquals(320, geometry.planeStride(2));
        assertEquals(180, geometry.planeHeight(1));
        assertEquals(640 * 360 * 3 / 2, geometry.frameBytes());
        assertEquals(33_333, geometry.frameDurationUs());
    }

    @Test
    void bgraIsOnePackedPlane() {
        FrameGeometry geometry = new FrameGeometry(1920, 1080, PixelFormat.BGRA, 60);
        assertEquals(1, geometry.planeCount());
        assertEquals(7680, geometry.planeStride(0));
        assertEquals(1920 * 1080 * 4, geometry.frameBytes());
        assertThrows(IllegalArgumentException.class, () -> geometry.planeStride(1));
    }

    @Test
    void oddI420DimensionsAndBadRatesAreRefusedWithTheirValues() {
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
                () -> new FrameGeometry(641, 360, PixelFormat.I420, 30));
        assertTrue(odd.getMessage().contains("width=641"), odd.getMessage());
        IllegalArgumentException fps = assertThrows(IllegalArgumentException.class,
                () -> new FrameGeometry(640, 360, PixelFormat.I420, 0));
        assertTrue(fps.getMessage().contains("fps=0"), fps.getMessage());
    }

    @Test
    void pixelFormatCodesRoundTrip() {
        for (PixelFormat format : PixelFormat.values()) {
            assertEquals(format, PixelFormat.fromCode(format.code()));
        }
        assertThrows(IllegalArgumentException.class, () -> PixelFormat.fromCode(99));
    }
}
