package io.streammanager.encoder.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Each H.264 encoder fed as the ladder feeds it (YUV420P frames over native slots, pts and forced IDRs set per frame),
 * alone and inside a two-size ladder, its output decoded by FFmpeg. Every device test is enabled on its own by its
 * device, so on a GPU host the tests of that GPU run and the others report as disabled; libx264's run everywhere and
 * prove the checks themselves.
 */
@Timeout(60)
class HardwareEncoderTest {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private static final int FPS = 30;
    private static final long FRAME_US = 1_000_000L / FPS;
    private static final int FRAMES = 10;
    /** The ladder's forced IDRs: the first frame, and one off any schedule the encoder might keep itself. */
    private static final Set<Integer> FORCED_IDRS = Set.of(0, 6);
    private static final int NAL_IDR_SLICE = 5;

    private record Encoded(byte[] data, long ptsUs, boolean keyframe) {
    }

    @Test
    @EnabledIf("io.streammanager.ffmpeg.HardwareDevices#vaapi")
    void vaapiEncodesTenFramesWithAlignedIdr() throws Exception {
        encodesTenFramesWithIdrsWhereForced(EncoderBackend.VAAPI);
    }

    @Test
    @EnabledIf("io.streammanager.ffmpeg.HardwareDevices#qsv")
    void qsvEncodesTenFramesWithAlignedIdr() throws Exception {
        encodesTenFramesWithIdrsWhereForced(EncoderBackend.QSV);
    }

    @Test
    @EnabledIf("io.streammanager.ffmpeg.HardwareDevices#nvidia")
    void nvencEncodesTenFramesWithAlignedIdr() throws Exception {
        encodesTenFramesWithIdrsWhereForced(EncoderBackend.NVENC);
    }

    @Test
    void libx264EncodesTenFramesWithAlignedIdr() throws Exception {
        encodesTenFramesWithIdrsWhereForced(EncoderBackend.X264);
    }

    @Test
    @EnabledIf("io.streammanager.ffmpeg.HardwareDevices#vaapi")
    void vaapiLadderEncodesTwoSizesWithIdrsOnTheSamePts() throws Exception {
        ladderEncodesTwoSizesWithIdrsOnTheSamePts(HardwareMode.VAAPI, EncoderBackend.VAAPI);
    }

    @Test
    @EnabledIf("io.streammanager.ffmpeg.HardwareDevices#qsv")
    void qsvLadderEncodesTwoSizesWithIdrsOnTheSamePts() throws Exception {
        ladderEncodesTwoSizesWithIdrsOnTheSamePts(HardwareMode.QSV, EncoderBackend.QSV);
    }

    @Test
    @EnabledIf("io.streammanager.ffmpeg.HardwareDevices#nvidia")
    void nvencLadderEncodesTwoSizesWithIdrsOnTheSamePts() throws Exception {
        ladderEncodesTwoSizesWithIdrsOnTheSamePts(HardwareMode.NVENC, EncoderBackend.NVENC);
    }

    @Test
    void libx264LadderEncodesTwoSizesWithIdrsOnTheSamePts() throws Exception {
        ladderEncodesTwoSizesWithIdrsOnTheSamePts(HardwareMode.SOFTWARE, EncoderBackend.X264);
    }

    private static void encodesTenFramesWithIdrsWhereForced(EncoderBackend backend) throws Exception {
        // a GOP far longer than the test: every IDR in the output is one the ladder forced
        VideoEncoderSettings settings = new VideoEncoderSettings(VideoCodec.H264, WIDTH, HEIGHT, FPS, 600_000,
                10 * FPS, "veryfast", null, null, 0);
        List<Double> sourceLuma = new ArrayList<>();
        List<Encoded> packets = new ArrayList<>();
        byte[] extradata;
        try (Arena arena = Arena.ofConfined();
             SlotFrames slots = new SlotFrames(InputFormat.YUV420P, WIDTH, HEIGHT);
             VideoEncoder encoder = VideoEncoder.open(backend, settings)) {
            assertEquals(backend, encoder.backend());
            for (int i = 0; i < FRAMES; i++) {
                // a slot per frame, as in the ring: a software encoder may still hold a reference to the last one
                MemorySegment slot = arena.allocate(InputFormat.YUV420P.frameBytes(WIDTH, HEIGHT), 64);
                sourceLuma.add(TestPatterns.fillI420(slot, WIDTH, HEIGHT, i));
                AVFrame frame = slots.frameFor(slot).frame();
                frame.pts(i * FRAME_US);
                frame.duration(FRAME_US);
                frame.pict_type(FORCED_IDRS.contains(i) ? avutil.AV_PICTURE_TYPE_I : avutil.AV_PICTURE_TYPE_NONE);
                encoder.send(frame);
                encoder.drain(collector(packets));
            }
            encoder.flush(collector(packets));
            extradata = encoder.extradata();
        }
        assertDecodesWithIdrsAt(backend.codecName(), packets, extradata, FORCED_IDRS, WIDTH, HEIGHT, sourceLuma);
    }

    /**
     * Both renditions (full size, passed through, and half size, scaled by the ladder) through {@code mode}'s
     * encoder, no fallback: every rendition uploads its own pictures and gets its IDRs on the ladder's GOP frames.
     */
    private static void ladderEncodesTwoSizesWithIdrsOnTheSamePts(HardwareMode mode, EncoderBackend backend)
            throws Exception {
        int gopFrames = 6;
        int[][] sizes = {{WIDTH, HEIGHT}, {WIDTH / 2, HEIGHT / 2}};
        List<VideoEncoderSettings> renditions = new ArrayList<>();
        for (int[] size : sizes) {
            renditions.add(new VideoEncoderSettings(VideoCodec.H264, size[0], size[1], FPS, 400_000, 2 * gopFrames,
                    "veryfast", null, null, 0));
        }
        LadderSettings settings = new LadderSettings(InputFormat.YUV420P, WIDTH, HEIGHT, FPS, gopFrames, renditions);
        List<Double> sourceLuma = new ArrayList<>();
        List<List<Encoded>> packets = List.of(new ArrayList<>(), new ArrayList<>());
        byte[][] extradata = new byte[sizes.length][];
        try (Arena arena = Arena.ofConfined();
             LadderEncoder ladder = LadderEncoder.open(settings, new EncoderSelector(mode, false))) {
            for (int i = 0; i < 2 * gopFrames; i++) {
                MemorySegment slot = arena.allocate(InputFormat.YUV420P.frameBytes(WIDTH, HEIGHT), 64);
                sourceLuma.add(TestPatterns.fillI420(slot, WIDTH, HEIGHT, i));
                ladder.submit(slot, i * FRAME_US, false);
                for (int r = 0; r < sizes.length; r++) {
                    ladder.drain(r, collector(packets.get(r)));
                }
            }
            for (int r = 0; r < sizes.length; r++) {
                assertEquals(backend, ladder.backend(r), "rendition " + r);
                ladder.flush(r, collector(packets.get(r)));
                extradata[r] = ladder.extradata(r);
            }
        }
        for (int r = 0; r < sizes.length; r++) {
            assertDecodesWithIdrsAt(backend.codecName() + " rendition " + r, packets.get(r), extradata[r],
                    Set.of(0, gopFrames), sizes[r][0], sizes[r][1], sourceLuma);
        }
    }

    private static PacketSink collector(List<Encoded> packets) {
        return p -> packets.add(copy(p));
    }

    /** One packet per frame, keyframes and IDR slices exactly on {@code idrFrames}, frames decoding as their source. */
    private static void assertDecodesWithIdrsAt(String what, List<Encoded> packets, byte[] extradata,
                                                Set<Integer> idrFrames, int width, int height,
                                                List<Double> sourceLuma) {
        assertEquals(sourceLuma.size(), packets.size(), what + ": one packet per frame");
        Set<Integer> keyframes = new TreeSet<>();
        Set<Integer> idrs = new TreeSet<>();
        for (Encoded packet : packets) {
            int index = Math.toIntExact(packet.ptsUs() / FRAME_US);
            if (packet.keyframe()) {
                keyframes.add(index);
            }
            if (containsNal(packet.data(), NAL_IDR_SLICE)) {
                idrs.add(index);
            }
        }
        assertEquals(new TreeSet<>(idrFrames), keyframes, what + ": keyframe flags exactly where forced");
        assertEquals(new TreeSet<>(idrFrames), idrs, what + ": IDR slices exactly where forced");

        List<H264TestDecoder.Picture> pictures = decode(extradata, packets);
        assertEquals(sourceLuma.size(), pictures.size(), what + ": every frame decodes");
        for (H264TestDecoder.Picture picture : pictures) {
            int index = Math.toIntExact(picture.pts() / FRAME_US);
            assertEquals(width, picture.width(), what);
            assertEquals(height, picture.height(), what);
            assertEquals(sourceLuma.get(index), picture.meanLuma(), 4.0, what + ": mean luma of frame " + index);
        }
    }

    /** Whether an Annex B access unit holds a NAL unit of {@code type}. */
    private static boolean containsNal(byte[] data, int type) {
        for (int i = 0; i + 3 < data.length; i++) {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1 && (data[i + 3] & 0x1f) == type) {
                return true;
            }
        }
        return false;
    }

    private static Encoded copy(EncodedPacket packet) {
        return new Encoded(packet.data().toArray(ValueLayout.JAVA_BYTE), packet.ptsUs(), packet.keyframe());
    }

    private static List<H264TestDecoder.Picture> decode(byte[] extradata, List<Encoded> packets) {
        try (H264TestDecoder decoder = new H264TestDecoder()) {
            for (Encoded packet : packets) {
                ByteArrayOutputStream unit = new ByteArrayOutputStream();
                if (packet.keyframe()) {
                    unit.writeBytes(extradata); // the global header, as a muxer puts it before each keyframe
                }
                unit.writeBytes(packet.data());
                decoder.decode(unit.toByteArray(), packet.ptsUs());
            }
            decoder.flush();
            return List.copyOf(decoder.pictures());
        }
    }
}
