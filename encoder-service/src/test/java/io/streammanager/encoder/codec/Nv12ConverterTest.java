package io.streammanager.encoder.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The upload's staging step, which needs no device: real swscale, a known I420 picture, every NV12 byte checked. */
@Timeout(30)
class Nv12ConverterTest {

    private static final int WIDTH = 64;
    private static final int HEIGHT = 36;

    private static int luma(int x, int y) {
        return (x * 3 + y * 7) & 0xff;
    }

    private static int blue(int x, int y) {
        return 16 + x * 5 + y;
    }

    private static int red(int x, int y) {
        return 240 - x * 3 - y * 2;
    }

    @Test
    void anI420PictureBecomesNv12WithTheSameLumaAndInterleavedChroma() {
        try (YuvFrame source = new YuvFrame(WIDTH, HEIGHT);
             Nv12Converter converter = new Nv12Converter(WIDTH, HEIGHT)) {
            source.makeWritable();
            AVFrame i420 = source.frame();
            fill(i420, 0, WIDTH, HEIGHT, Nv12ConverterTest::luma);
            fill(i420, 1, WIDTH / 2, HEIGHT / 2, Nv12ConverterTest::blue);
            fill(i420, 2, WIDTH / 2, HEIGHT / 2, Nv12ConverterTest::red);

            AVFrame nv12 = converter.convert(i420);

            assertEquals(avutil.AV_PIX_FMT_NV12, nv12.format());
            assertEquals(WIDTH, nv12.width());
            assertEquals(HEIGHT, nv12.height());
            assertTrue(nv12.data(2) == null || nv12.data(2).isNull(), "two planes only");
            for (int y = 0; y < HEIGHT; y++) {
                byte[] expected = new byte[WIDTH];
                for (int x = 0; x < WIDTH; x++) {
                    expected[x] = (byte) luma(x, y);
                }
                assertArrayEquals(expected, row(nv12, 0, y, WIDTH), "luma row " + y);
            }
            for (int y = 0; y < HEIGHT / 2; y++) {
                byte[] expected = new byte[WIDTH];
                for (int x = 0; x < WIDTH / 2; x++) {
                    expected[2 * x] = (byte) blue(x, y);
                    expected[2 * x + 1] = (byte) red(x, y);
                }
                assertArrayEquals(expected, row(nv12, 1, y, WIDTH), "chroma row " + y + ": U,V pairs");
            }
        }
    }

    @Test
    void theFrameIsReusedAndRewrittenForTheNextPicture() {
        try (YuvFrame source = new YuvFrame(WIDTH, HEIGHT);
             Nv12Converter converter = new Nv12Converter(WIDTH, HEIGHT)) {
            source.makeWritable();
            fill(source.frame(), 0, WIDTH, HEIGHT, (x, y) -> 20);
            fill(source.frame(), 1, WIDTH / 2, HEIGHT / 2, (x, y) -> 128);
            fill(source.frame(), 2, WIDTH / 2, HEIGHT / 2, (x, y) -> 128);
            AVFrame first = converter.convert(source.frame());
            assertEquals(20, row(first, 0, 5, WIDTH)[7]);
            fill(source.frame(), 0, WIDTH, HEIGHT, (x, y) -> 200);
            AVFrame second = converter.convert(source.frame());
            assertEquals(first.address(), second.address(), "one staging frame, no allocation per picture");
            assertEquals(200, row(second, 0, 5, WIDTH)[7] & 0xff);
        }
    }

    @Test
    void aPictureOfAnotherSizeIsRefusedNamingBothSizes() {
        try (YuvFrame source = new YuvFrame(WIDTH * 2, HEIGHT);
             Nv12Converter converter = new Nv12Converter(WIDTH, HEIGHT)) {
            IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                    () -> converter.convert(source.frame()));
            assertTrue(failure.getMessage().contains("128x36") && failure.getMessage().contains("64x36"),
                    failure.getMessage());
        }
    }

    private interface Sample {
        int at(int x, int y);
    }

    private static void fill(AVFrame frame, int plane, int width, int height, Sample sample) {
        BytePointer data = frame.data(plane);
        int stride = frame.linesize(plane);
        byte[] row = new byte[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                row[x] = (byte) sample.at(x, y);
            }
            data.position((long) y * stride).put(row);
        }
        data.position(0);
    }

    private static byte[] row(AVFrame frame, int plane, int y, int bytes) {
        BytePointer data = frame.data(plane);
        byte[] row = new byte[bytes];
        data.position((long) y * frame.linesize(plane)).get(row);
        data.position(0);
        return row;
    }
}
