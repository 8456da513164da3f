package io.streammanager.encoder.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The FFmpeg wrapper alone, over native (off-heap) slots like the frame ring's. */
@Timeout(60)
class NativeFrameEncoderTest {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private static final int FPS = 30;
    private static final int SLOTS = 4;

    private record Encoded(byte[] data, long ptsUs, long dtsUs, boolean keyframe) {
    }

    @Test
    void i420SlotsEncodeInPlaceIntoH264ThatDecodesToTheSamePictures() throws Exception {
        int frames = 45;
        List<Double> sourceLuma = new ArrayList<>();
        List<Encoded> packets = new ArrayList<>();
        byte[] extradata;
        try (Arena arena = Arena.ofConfined();
             NativeFrameEncoder encoder = open(InputFormat.YUV420P, 1)) {
            MemorySegment[] slots = slots(arena, InputFormat.YUV420P);
            for (int i = 0; i < frames; i++) {
                MemorySegment slot = slots[i % SLOTS];
                sourceLuma.add(TestPatterns.fillI420(slot, WIDTH, HEIGHT, i));
                encoder.submit(slot, i * 33_333L, false);
                encoder.drain(p -> packets.add(copy(p)));
            }
            encoder.flush(p -> packets.add(copy(p)));
            extradata = encoder.extradata();
            assertEquals(EncoderBackend.X264, encoder.backend());
        }

        assertEquals(frames, packets.size(), "one packet per frame (zerolatency, no B-frames)");
        assertTrue(packets.getFirst().keyframe(), "first packet is a keyframe");
        for (int i = 0; i < packets.size(); i++) {
            assertEquals(i % FPS == 0, packets.get(i).keyframe(), "keyframe exactly every " + FPS + " frames, i=" + i);
            assertEquals(i * 33_333L, packets.get(i).ptsUs(), "pts in microseconds, unchanged");
            if (i > 0) {
                assertTrue(packets.get(i).dtsUs() > packets.get(i - 1).dtsUs(), "dts strictly increasing");
            }
        }
        List<H264TestDecoder.Picture> pictures = decode(extradata, packets);
        assertEquals(frames, pictures.size());
        for (int i = 0; i < frames; i++) {
            H264TestDecoder.Picture picture = pictures.get(i);
            assertEquals(WIDTH, picture.width());
            assertEquals(HEIGHT, picture.height());
            assertEquals(sourceLuma.get(i), picture.meanLuma(), 3.0, "mean luma of frame " + i);
        }
    }

    @Test
    void bgraSlotsGoThroughSwscaleAndDecodeToTheExpectedLuma() throws Exception {
        int frames = 20;
        List<Double> expectedLuma = new ArrayList<>();
        List<Encoded> packets = new ArrayList<>();
        byte[] extradata;
        try (Arena arena = Arena.ofConfined();
             NativeFrameEncoder encoder = open(InputFormat.BGRA, 2)) {
            MemorySegment[] slots = slots(arena, InputFormat.BGRA);
            for (int i = 0; i < frames; i++) {
                MemorySegment slot = slots[i % SLOTS];
                expectedLuma.add(TestPatterns.fillBgra(slot, WIDTH, HEIGHT, i));
                encoder.submit(slot, i * 33_333L, false);
                encoder.drain(p -> packets.add(copy(p)));
            }
            encoder.flush(p -> packets.add(copy(p)));
            extradata = encoder.extradata();
        }
        List<H264TestDecoder.Picture> pictures = decode(extradata, packets);
        assertEquals(frames, pictures.size());
        for (int i = 0; i < frames; i++) {
            assertEquals(expectedLuma.get(i), pictures.get(i).meanLuma(), 4.0, "mean luma of frame " + i);
        }
    }

    @Test
    void aForcedKeyframeComesOutAsAKeyframeOffTheSchedule() throws Exception {
        List<Encoded> packets = new ArrayList<>();
        try (Arena arena = Arena.ofConfined();
             NativeFrameEncoder encoder = open(InputFormat.YUV420P, 10)) {
            MemorySegment[] slots = slots(arena, InputFormat.YUV420P);
            for (int i = 0; i < 12; i++) {
                TestPatterns.fillI420(slots[i % SLOTS], WIDTH, HEIGHT, i);
                encoder.submit(slots[i % SLOTS], i * 33_333L, i == 7);
                encoder.drain(p -> packets.add(copy(p)));
            }
        }
        assertTrue(packets.get(7).keyframe(), "forced frame 7 is a keyframe");
        assertFalse(packets.get(8).keyframe(), "the next one is not");
    }

    private static NativeFrameEncoder open(InputFormat input, int keyframeIntervalSeconds) throws Exception {
        VideoEncoderSettings video = VideoEncoderSettings.of(WIDTH, HEIGHT, FPS, 800, keyframeIntervalSeconds,
                null, null);
        return NativeFrameEncoder.open(new FrameEncoderSettings(input, video),
                new EncoderSelector(HardwareMode.SOFTWARE, false));
    }

    private static MemorySegment[] slots(Arena arena, InputFormat format) {
        MemorySegment[] slots = new MemorySegment[SLOTS];
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = arena.allocate(format.frameBytes(WIDTH, HEIGHT), 64);
        }
        return slots;
    }

    private static Encoded copy(EncodedPacket packet) {
        return new Encoded(packet.data().toArray(ValueLayout.JAVA_BYTE), packet.ptsUs(), packet.dtsUs(),
                packet.keyframe());
    }

    private static List<H264TestDecoder.Picture> decode(byte[] extradata, List<Encoded> packets) {
        try (H264TestDecoder decoder = new H264TestDecoder()) {
            for (Encoded packet : packets) {
                byte[] data = packet.data();
                if (packet.keyframe()) {
                    ByteArrayOutputStream withConfig = new ByteArrayOutputStream();
                    withConfig.writeBytes(extradata);
                    withConfig.writeBytes(data);
                    data = withConfig.toByteArray();
                }
                decoder.decode(data, packet.ptsUs());
            }
            decoder.flush();
            return List.copyOf(decoder.pictures());
        }
    }
}
