package io.streammanager.composition.sources;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.Test;

/** When a decoded frame is shown as it is (referenced) and when it goes through swscale, and what comes out. */
class FrameScalerTest {

    @Test
    void anI420FrameAtTheBoxSizeInTheCanvasColoursIsReferencedNotCopied() {
        AVFrame decoded = filled(1280, 720, 100, 90, 160); // untagged HD: BT.709, limited range
        try (FrameScaler scaler = new FrameScaler()) {
            DecodedFrame target = new DecodedFrame();
            assertTrue(scaler.fill(decoded, target, 1280, 720));
            assertEquals(decoded.data(0).address(), target.plane(0).address());
            assertEquals(decoded.data(2).address(), target.plane(2).address());
            assertEquals(decoded.linesize(1), target.stride(1));
            target.close();
        } finally {
            av_frame_free(decoded);
        }
    }

    @Test
    void anotherSizeIsScaledIntoAPackedBuffer() {
        AVFrame decoded = filled(1280, 720, 100, 90, 160);
        decoded.colorspace(AVCOL_SPC_BT709);
        try (FrameScaler scaler = new FrameScaler()) {
            DecodedFrame target = new DecodedFrame();
            assertTrue(scaler.fill(decoded, target, 640, 360));
            assertNotEquals(decoded.data(0).address(), target.plane(0).address());
            assertEquals(640, target.stride(0));
            assertEquals(320, target.stride(1));
            assertEquals(100, target.plane(0).get(JAVA_BYTE, 360L * 320) & 0xFF, "a flat luma stays flat");
            assertEquals(160, target.plane(2).get(JAVA_BYTE, 180L * 160) & 0xFF);
            target.close();
        } finally {
            av_frame_free(decoded);
        }
    }

    @Test
    void anSdMatrixOrFullRangeSourceIsConvertedToTheCanvasColours() {
        AVFrame sd = filled(640, 360, 100, 90, 160); // untagged SD: BT.601
        AVFrame fullRange = filled(1280, 720, 0, 128, 128);
        fullRange.color_range(AVCOL_RANGE_JPEG);
        try (FrameScaler scaler = new FrameScaler()) {
            DecodedFrame target = new DecodedFrame();
            assertTrue(scaler.fill(sd, target, 640, 360));
            assertNotEquals(sd.data(0).address(), target.plane(0).address(), "BT.601 needs converting");
            int v = target.plane(2).get(JAVA_BYTE, 90L * 320) & 0xFF;
            assertNotEquals(160, v, "the same colour has other chroma in BT.709");
            assertTrue(scaler.fill(fullRange, target, 1280, 720));
            assertNotEquals(fullRange.data(0).address(), target.plane(0).address());
            assertEquals(16, target.plane(0).get(JAVA_BYTE, 0) & 0xFF, "full-range black is limited-range 16");
            target.close();
        } finally {
            av_frame_free(sd);
            av_frame_free(fullRange);
        }
    }

    private static AVFrame filled(int width, int height, int y, int u, int v) {
        AVFrame frame = FrameQueueTest.decoderFrame(width, height);
        int[] values = {y, u, v};
        for (int plane = 0; plane < 3; plane++) {
            int rows = plane == 0 ? height : height / 2;
            long bytes = (long) frame.linesize(plane) * rows;
            java.lang.foreign.MemorySegment.ofAddress(frame.data(plane).address()).reinterpret(bytes)
                    .fill((byte) values[plane]);
        }
        return frame;
    }
}
