package io.streammanager.encoder.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;

import io.streammanager.encoder.codec.EncoderSelector;
import io.streammanager.encoder.codec.FrameEncoderSettings;
import io.streammanager.encoder.codec.HardwareMode;
import io.streammanager.encoder.codec.InputFormat;
import io.streammanager.encoder.codec.NativeFrameEncoder;
import io.streammanager.encoder.codec.TestPatterns;
import io.streammanager.encoder.codec.VideoEncoder;
import io.streammanager.encoder.codec.VideoEncoderSettings;
import io.streammanager.encoder.codec.YuvFrame;

/**
 * Not a test: prints the process CPU time spent per second of 1280x720@30 video, encoding I420 frames (a) in place
 * from off-heap slots, as the service does, and (b) the way a heap-based pipeline would: slot -> byte[] -> native
 * frame -> encoder. Same encoder settings (libx264 veryfast/zerolatency, 2500 kbps), same pictures.
 * Run: java --enable-native-access=ALL-UNNAMED -cp ... io.streammanager.encoder.bench.EncodeInPlaceBenchmark [frames] [rounds]
 */
public final class EncodeInPlaceBenchmark {

    private static final int WIDTH = 1280;
    private static final int HEIGHT = 720;
    private static final int FPS = 30;
    private static final int SLOTS = 8;

    private EncodeInPlaceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        VideoEncoderSettings settings = new VideoEncoderSettings(WIDTH, HEIGHT, FPS, 2_500_000, FPS * 2,
                VideoEncoderSettings.DEFAULT_PRESET, VideoEncoderSettings.DEFAULT_TUNE, threads);
        EncoderSelector selector = new EncoderSelector(HardwareMode.SOFTWARE, false);
        try (Arena arena = Arena.ofConfined()) {
            int frameBytes = InputFormat.YUV420P.frameBytes(WIDTH, HEIGHT);
            MemorySegment[] slots = new MemorySegment[SLOTS];
            for (int i = 0; i < SLOTS; i++) {
                slots[i] = arena.allocate(frameBytes, 64);
                TestPatterns.fillI420(slots[i], WIDTH, HEIGHT, i);
            }
            inPlace(settings, selector, slots, 60);
            fromHeap(settings, selector, slots, 60);
            System.out.printf("1280x720@30 I420 -> libx264 veryfast/zerolatency 2500 kbps, threads=%s, %d frames "
                    + "(%.1f s of video) per run%n", threads == 0 ? "auto" : threads, frames, frames / (double) FPS);
            for (int round = 1; round <= rounds; round++) {
                report("in place (off-heap slot -> FFmpeg)", inPlace(settings, selector, slots, frames), frames);
                report("heap copy (slot -> byte[] -> AVFrame)", fromHeap(settings, selector, slots, frames), frames);
                report("  of which the two copies alone", copiesOnly(slots, frames), frames);
            }
        }
    }

    private record Run(long cpuNs, long wallNs) {
    }

    private static void report(String name, Run run, int frames) {
        double videoSeconds = frames / (double) FPS;
        System.out.printf("  %-40s CPU %6.1f ms per second of video, wall %6.1f fps%n", name,
                run.cpuNs() / 1e6 / videoSeconds, frames / (run.wallNs() / 1e9));
    }

    private static Run inPlace(VideoEncoderSettings settings, EncoderSelector selector, MemorySegment[] slots,
                               int frames) throws Exception {
        try (NativeFrameEncoder encoder = NativeFrameEncoder.open(
                new FrameEncoderSettings(InputFormat.YUV420P, settings), selector)) {
            long cpu = processCpuNs();
            long wall = System.nanoTime();
            for (int i = 0; i < frames; i++) {
                encoder.submit(slots[i % SLOTS], i * settings.frameDurationUs(), false);
                encoder.drain(packet -> { });
            }
            encoder.flush(packet -> { });
            return new Run(processCpuNs() - cpu, System.nanoTime() - wall);
        }
    }

    private static Run fromHeap(VideoEncoderSettings settings, EncoderSelector selector, MemorySegment[] slots,
                                int frames) throws Exception {
        byte[] heap = new byte[(int) slots[0].byteSize()];
        int lumaBytes = WIDTH * HEIGHT;
        int chromaBytes = lumaBytes / 4;
        try (VideoEncoder encoder = selector.open(settings); YuvFrame target = new YuvFrame(WIDTH, HEIGHT)) {
            AVFrame frame = target.frame();
            if (frame.linesize(0) != WIDTH || frame.linesize(1) != WIDTH / 2 || frame.linesize(2) != WIDTH / 2) {
                throw new IllegalStateException("benchmark assumes unpadded planes at 1280x720");
            }
            long cpu = processCpuNs();
            long wall = System.nanoTime();
            for (int i = 0; i < frames; i++) {
                MemorySegment.copy(slots[i % SLOTS], ValueLayout.JAVA_BYTE, 0, heap, 0, heap.length);
                target.makeWritable();
                frame.data(0).put(heap, 0, lumaBytes);
                frame.data(1).put(heap, lumaBytes, chromaBytes);
                frame.data(2).put(heap, lumaBytes + chromaBytes, chromaBytes);
                frame.pts(i * settings.frameDurationUs());
                frame.pict_type(avutil.AV_PICTURE_TYPE_NONE);
                encoder.send(frame);
                encoder.drain(packet -> { });
            }
            encoder.flush(packet -> { });
            return new Run(processCpuNs() - cpu, System.nanoTime() - wall);
        }
    }

    /** The heap path's copies without the encoder, to isolate their cost from encoder noise. */
    private static Run copiesOnly(MemorySegment[] slots, int frames) {
        byte[] heap = new byte[(int) slots[0].byteSize()];
        int lumaBytes = WIDTH * HEIGHT;
        int chromaBytes = lumaBytes / 4;
        try (YuvFrame target = new YuvFrame(WIDTH, HEIGHT)) {
            AVFrame frame = target.frame();
            long cpu = processCpuNs();
            long wall = System.nanoTime();
            for (int i = 0; i < frames; i++) {
                MemorySegment.copy(slots[i % SLOTS], ValueLayout.JAVA_BYTE, 0, heap, 0, heap.length);
                frame.data(0).put(heap, 0, lumaBytes);
                frame.data(1).put(heap, lumaBytes, chromaBytes);
                frame.data(2).put(heap, lumaBytes + chromaBytes, chromaBytes);
            }
            return new Run(processCpuNs() - cpu, System.nanoTime() - wall);
        }
    }

    private static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
