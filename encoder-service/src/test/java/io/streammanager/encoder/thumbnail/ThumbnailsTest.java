package io.streammanager.encoder.thumbnail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.bus.control.ThumbnailEntry;
import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.shm.FrameGeometry;
import io.streammanager.bus.shm.FrameRingWriter;
import io.streammanager.bus.shm.PixelFormat;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.bus.testing.Poll;
import io.streammanager.bus.testing.RedisTestServer;
import io.streammanager.bus.testing.TestRedisClient;
import io.streammanager.encoder.codec.HardwareMode;
import io.streammanager.encoder.pipeline.StreamWorker;
import io.streammanager.encoder.pipeline.WorkerSettings;
import io.streammanager.encoder.testing.RecordingListener;
import io.streammanager.encoder.testing.ShmTestDir;

/**
 * A stream worker between a real frame ring and a real Redis makes its thumbnails: one JPEG per interval of capture
 * time (never per frame), scaled down to the configured width with the canvas's colours, in a rolling set of the
 * newest {@code keep}, deleted with the stream.
 */
@Timeout(60)
class ThumbnailsTest {

    private static final String STREAM = "thumb-test";
    /** Larger than the stored width, so the thumbnail is scaled (to 640x360). */
    private static final FrameGeometry CANVAS = new FrameGeometry(960, 540, PixelFormat.I420, 30);
    /** Capture times 200 ms apart: with a 1 s interval, frames 0, 5, 10, ... are the thumbnails. */
    private static final long CAPTURE_STEP_US = 200_000;
    private static final long CAPTURE_BASE_US = 1_700_000_000_000_000L;
    /** Quadrants in BT.709 limited range (Y, Cb, Cr), as the composition renders them, and their sRGB. */
    private static final int[][] YUV = {{63, 102, 240}, {173, 42, 26}, {32, 240, 118}, {235, 128, 128}};
    private static final int[][] RGB = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};

    private RedisTestServer redisServer;
    private TestRedisClient client;
    private RedisDataSource redis;
    private ShmTestDir shm;
    private SimpleMeterRegistry meters;
    private Thumbnails thumbnails;
    private StreamWorker worker;

    @BeforeEach
    void start() {
        redisServer = RedisTestServer.start();
        client = new TestRedisClient(redisServer);
        redis = client.dataSource();
        shm = ShmTestDir.create();
        meters = new SimpleMeterRegistry();
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.stop("test over", true, Duration.ofSeconds(2));
        }
        if (thumbnails != null) {
            thumbnails.close();
        }
        shm.close();
        client.close();
        redisServer.close();
    }

    @Test
    void oneJpegPerIntervalScaledWithTheCanvasColoursInARollingSet() throws IOException {
        thumbnails = new Thumbnails(new ThumbnailSettings(true, Duration.ofSeconds(1), 640, 80, 3,
                Duration.ofMinutes(1)), redis, meters);
        RecordingListener listener = new RecordingListener();
        worker = startWorker(listener);
        int frames = 21; // capture 0 .. 4.0 s: thumbnails at 0, 1, 2, 3 and 4 s
        try (FrameRingWriter producer = FrameRingWriter.create(RingFiles.frameRing(shm.path(), STREAM), CANVAS, 8)) {
            Poll.await(Duration.ofSeconds(10), "the worker reads the ring",
                    () -> listener.events().stream().anyMatch(e -> e.startsWith("started")), listener::events);
            for (int i = 0; i < frames; i++) {
                fillQuadrants(producer.claim());
                producer.publish(i * 33_333L, CAPTURE_BASE_US + i * CAPTURE_STEP_US);
                // in step with the worker, so it is never lapped however loaded the machine: the count is exact
                long encoded = i + 1;
                Poll.await(Duration.ofSeconds(10), "frame " + i + " encoded",
                        () -> worker.stats().framesEncoded() >= encoded, () -> worker.stats().framesEncoded());
            }
            Poll.await(Duration.ofSeconds(20), "five thumbnails stored", () -> made() >= 5, this::made);
        }
        assertEquals(0, worker.stats().droppedFrames(), "no frame lost, so the count below is exact");
        assertEquals(5.0, made(), "one thumbnail per second of capture time, not one per frame (" + frames + ")");
        assertEquals(5, meters.get("encoder_thumbnail_time").tag("step", "jpeg").timer().count());
        assertEquals(5, meters.get("encoder_thumbnail_time").tag("step", "scale").timer().count());

        List<String> set = redis.sortedSet(String.class).zrange(RedisKeys.thumbnails(STREAM), 0, -1);
        assertEquals(3, set.size(), "the rolling set keeps the newest 3: " + set);
        long firstMs = CAPTURE_BASE_US / 1000;
        for (int i = 0; i < 3; i++) {
            ThumbnailEntry entry = ThumbnailEntry.parse(set.get(i));
            assertEquals(firstMs + (2 + i) * 1000L, entry.captureTimeMs(), "capture time of thumbnail " + i);
            assertEquals(640, entry.width());
            assertEquals(360, entry.height());
            byte[] jpeg = redis.value(byte[].class).get(RedisKeys.thumbnail(STREAM, entry.captureTimeMs()));
            assertNotNull(jpeg, "its JPEG is stored");
            assertEquals(entry.bytes(), jpeg.length);
            assertColours(ImageIO.read(new ByteArrayInputStream(jpeg)));
            long ttl = redis.key().pttl(RedisKeys.thumbnail(STREAM, entry.captureTimeMs()));
            assertTrue(ttl > 0 && ttl <= 60_000, "each JPEG expires: pttl " + ttl);
        }
        assertTrue(redis.key().pttl(RedisKeys.thumbnails(STREAM)) > 0, "the set expires too");
        for (long trimmed : new long[] {firstMs, firstMs + 1000}) {
            assertFalse(redis.key().exists(RedisKeys.thumbnail(STREAM, trimmed)), "trimmed JPEG deleted: " + trimmed);
        }

        thumbnails.forget(STREAM);
        Poll.await(Duration.ofSeconds(5), "a deleted stream's thumbnails go",
                () -> redis.key().keys(RedisKeys.PREFIX + "thumbnail*").isEmpty(),
                () -> redis.key().keys(RedisKeys.PREFIX + "thumbnail*"));
    }

    @Test
    void aSmallCanvasIsStoredAtItsOwnSizeAndDisabledMakesNone() {
        assertEquals(320, FrameGrabber.thumbWidth(320, 640));
        assertEquals(240, FrameGrabber.thumbHeight(320, 240, 320));
        assertEquals(640, FrameGrabber.thumbWidth(1280, 640));
        assertEquals(360, FrameGrabber.thumbHeight(1280, 720, 640));
        assertEquals(100, FrameGrabber.thumbHeight(1000, 333, 300), "odd results round to even");
        Thumbnails off = new Thumbnails(new ThumbnailSettings(false, Duration.ofSeconds(1), 640, 80, 3,
                Duration.ofMinutes(1)), redis, meters);
        try {
            assertFalse(off.tap(STREAM).grab(MemorySegment.ofArray(new byte[960 * 540 * 3 / 2]),
                    io.streammanager.encoder.codec.InputFormat.YUV420P, 960, 540, CAPTURE_BASE_US));
        } finally {
            off.close();
        }
    }

    @Test
    void settingsOutOfRangeAreRefusedByName() {
        IllegalArgumentException quality = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new ThumbnailSettings(true, Duration.ofSeconds(5), 640, 0, 10,
                        Duration.ofMinutes(5)));
        assertTrue(quality.getMessage().contains("encoder.thumbnails.quality"), quality.getMessage());
        IllegalArgumentException ttl = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ThumbnailSettings(true, Duration.ofSeconds(5), 640, 80, 10, Duration.ofSeconds(5)));
        assertTrue(ttl.getMessage().contains("encoder.thumbnails.ttl"), ttl.getMessage());
    }

    private double made() {
        return meters.get("encoder_thumbnails").counter().count();
    }

    private StreamWorker startWorker(RecordingListener listener) {
        WorkerSettings settings = new WorkerSettings(STREAM, 1, 0,
                new EncoderSpec("h264", "ultrafast", "zerolatency", 400, 1), shm.path(), 1 << 20,
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMillis(100), HardwareMode.SOFTWARE, false,
                1, null);
        return new StreamWorker(settings, listener, nanos -> { }, thumbnails.tap(STREAM)).start();
    }

    /** Red, green / blue, white quadrants. */
    private static void fillQuadrants(MemorySegment slot) {
        int w = CANVAS.width();
        int h = CANVAS.height();
        byte[] plane = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                plane[y * w + x] = (byte) YUV[quadrant(x, y, w, h)][0];
            }
        }
        MemorySegment.copy(MemorySegment.ofArray(plane), 0, slot, 0, plane.length);
        for (int c = 1; c <= 2; c++) {
            byte[] chroma = new byte[w * h / 4];
            for (int y = 0; y < h / 2; y++) {
                for (int x = 0; x < w / 2; x++) {
                    chroma[y * (w / 2) + x] = (byte) YUV[quadrant(x, y, w / 2, h / 2)][c];
                }
            }
            long offset = (long) w * h + (c - 1) * (long) chroma.length;
            MemorySegment.copy(MemorySegment.ofArray(chroma), 0, slot, offset, chroma.length);
        }
    }

    private static int quadrant(int x, int y, int w, int h) {
        return (y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1);
    }

    private static void assertColours(BufferedImage image) {
        assertNotNull(image, "decodes as an image");
        assertEquals(640, image.getWidth());
        assertEquals(360, image.getHeight());
        for (int q = 0; q < 4; q++) {
            int x = (q % 2) * 320 + 160;
            int y = (q / 2) * 180 + 90;
            int rgb = image.getRGB(x, y);
            int[] got = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
            for (int c = 0; c < 3; c++) {
                // JPEG at quality 80 and BT.709 limited-range rounding: a few levels; BT.601 would be off by 20+
                assertEquals(RGB[q][c], got[c], 10, "quadrant " + q + " channel " + c + " at " + x + "," + y
                        + ": " + java.util.Arrays.toString(got));
            }
        }
    }
}
