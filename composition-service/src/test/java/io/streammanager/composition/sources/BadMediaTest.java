package io.streammanager.composition.sources;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streammanager.composition.scene.VideoFrame;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad media costs a source some of its own frames, nothing more: an MPEG-TS input that is cut off mid-packet, then
 * carries 64 KB of garbage, then goes on at another resolution keeps its source decoding, and every frame it hands
 * the clock is at the layer's box size, the first part's colour before and the second part's after.
 */
class BadMediaTest {

    private static final Logger LOG = Logger.getLogger(BadMediaTest.class);
    private static final int BOX_WIDTH = 160;
    private static final int BOX_HEIGHT = 120;

    @TempDir
    Path dir;

    @Test
    void aTruncatedPacketGarbageAndAResolutionChangeCostOnlyTheFramesTheyHit() throws Exception {
        byte[] red = ts("red.ts", "color=c=red:s=320x240:r=25", 0);
        byte[] blue = ts("blue.ts", "color=c=blue:s=640x360:r=25", 2);
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.write(red, 0, red.length - 1000); // the last packets cut off
        byte[] garbage = new byte[64 * 1024];
        new Random(8).nextBytes(garbage);
        input.write(garbage);
        input.write(blue);
        Path file = dir.resolve("bad.ts");
        Files.write(file, input.toByteArray());

        MediaSource.Settings settings = new MediaSource.Settings(4, 500_000_000L, 2_000_000_000L, 50_000_000L,
                200_000_000L, 48_000, new HardwareDecoders(HardwareDecoders.Mode.NONE));
        List<String> colours = new ArrayList<>();
        try (MediaSource source = new MediaSource("cam", SourceInput.file(file), false, true, BOX_WIDTH, BOX_HEIGHT,
                settings, new SourceMeters(new SimpleMeterRegistry(), "bad", "cam"))) {
            source.start();
            long deadline = System.nanoTime() + 15_000_000_000L;
            VideoFrame last = null;
            // the clock's side: take the newest frame every 20 ms until the input has ended
            while (System.nanoTime() < deadline && source.state() != SourceState.ENDED) {
                VideoFrame frame = source.frameForClock();
                if (frame != null && frame != last) {
                    assertEquals(BOX_WIDTH, frame.width(), "every frame at the box's size");
                    assertEquals(BOX_HEIGHT, frame.height());
                    String colour = colour(frame);
                    if (colours.isEmpty() || !colours.getLast().equals(colour)) {
                        colours.add(colour);
                    }
                    last = frame;
                }
                LockSupport.parkNanos(20_000_000L);
            }
            LOG.infof("bad input: colours in order %s; %d frames delivered, %d dropped", colours,
                    source.deliveredFrames(), source.droppedFrames());
            assertEquals(SourceState.ENDED, source.state(), "the input played to its end: " + source.lastError());
            assertTrue(source.deliveredFrames() >= 60, "frames of both parts: " + source.deliveredFrames());
        }
        assertEquals(List.of("red", "blue"), colours.stream().filter(c -> !c.equals("other")).distinct().toList(),
                "the first part, then the second: " + colours);
    }

    /** A 2 s H.264 MPEG-TS of {@code source}, its timestamps starting at {@code offsetS}. */
    private byte[] ts(String name, String source, int offsetS) throws Exception {
        Path file = dir.resolve(name);
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                source, "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
                "-output_ts_offset", Integer.toString(offsetS), "-f", "mpegts", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(ffmpeg.getInputStream().readAllBytes());
        assertEquals(0, ffmpeg.waitFor(), output);
        return Files.readAllBytes(file);
    }

    /** The box centre's colour: BT.709 red is Y 63, V 240; blue is Y 32, U 240. */
    private static String colour(VideoFrame frame) {
        int y = frame.plane(0).get(JAVA_BYTE, (long) (BOX_HEIGHT / 2) * frame.stride(0) + BOX_WIDTH / 2) & 0xFF;
        int u = frame.plane(1).get(JAVA_BYTE, (long) (BOX_HEIGHT / 4) * frame.stride(1) + BOX_WIDTH / 4) & 0xFF;
        int v = frame.plane(2).get(JAVA_BYTE, (long) (BOX_HEIGHT / 4) * frame.stride(2) + BOX_WIDTH / 4) & 0xFF;
        if (Math.abs(y - 63) <= 8 && v > 220) {
            return "red";
        }
        if (Math.abs(y - 32) <= 8 && u > 220) {
            return "blue";
        }
        return "other";
    }
}
