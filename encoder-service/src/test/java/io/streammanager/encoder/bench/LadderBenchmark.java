package io.streammanager.encoder.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.streammanager.encoder.codec.EncoderSelector;
import io.streammanager.encoder.codec.HardwareMode;
import io.streammanager.encoder.codec.InputFormat;
import io.streammanager.encoder.codec.LadderEncoder;
import io.streammanager.encoder.codec.LadderSettings;
import io.streammanager.encoder.codec.TestPatterns;
import io.streammanager.encoder.codec.VideoCodec;
import io.streammanager.encoder.codec.VideoEncoderSettings;

/**
 * Not a test: CPU seconds per second of video of a 720p/480p/360p H.264 ladder encoded from one 1280x720@30 I420
 * frame ring, in place (the service's {@link LadderEncoder}), beside Debian's ffmpeg doing the same in one process
 * (split, two scales, three libx264 encodes) on the very same frames, in the same run, alternating. Same settings on
 * both sides: veryfast/zerolatency, capped CBR with filler, 1 s GOP without scene cuts, no B-frames, bilinear scaling,
 * encoder threads auto.
 * Run: bench/ladder.sh [frames] [rounds]
 */
public final class LadderBenchmark {

    private static final int WIDTH = 1280;
    private static final int HEIGHT = 720;
    private static final int FPS = 30;
    private static final int SLOTS = 8;
    private static final Path DEBIAN_FFMPEG = Path.of("/usr/bin/ffmpeg");
    private static final Pattern BENCH = Pattern.compile("bench: utime=([0-9.]+)s stime=([0-9.]+)s");
    /** id, width, height, kbit/s. */
    private static final Object[][] LADDER = {{"720p", 1280, 720, 2500}, {"480p", 854, 480, 1200},
            {"360p", 640, 360, 800}};

    private LadderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        if (!Files.isExecutable(DEBIAN_FFMPEG)) {
            throw new IllegalStateException("Debian's ffmpeg is the baseline: apt-get install ffmpeg");
        }
        double videoSeconds = frames / (double) FPS;
        Path raw = Files.createTempFile("ladder-bench-", ".yuv");
        try (Arena arena = Arena.ofConfined()) {
            int frameBytes = InputFormat.YUV420P.frameBytes(WIDTH, HEIGHT);
            MemorySegment[] slots = new MemorySegment[SLOTS];
            for (int i = 0; i < SLOTS; i++) {
                slots[i] = arena.allocate(frameBytes, 64);
                TestPatterns.fillI420(slots[i], WIDTH, HEIGHT, i);
            }
            writeFrames(raw, slots, frames);
            ours(slots, 60); // warm up: JIT, first opens
            List<Double> oursCpu = new ArrayList<>();
            List<Double> ffmpegCpu = new ArrayList<>();
            System.out.printf(Locale.ROOT, "ladder 720p@2500k + 480p@1200k + 360p@800k from one 1280x720@30 I420 ring,"
                    + " %d frames (%.0f s of video) per run%n", frames, videoSeconds);
            for (int round = 1; round <= rounds; round++) {
                double our = ours(slots, frames) / videoSeconds;
                double theirs = debianFfmpeg(raw, frames) / videoSeconds;
                oursCpu.add(our);
                ffmpegCpu.add(theirs);
                System.out.printf(Locale.ROOT, "  round %d: ours %.3f CPU-s per video-s, Debian ffmpeg %.3f, ratio %.3f%n",
                        round, our, theirs, our / theirs);
            }
            double our = median(oursCpu);
            double theirs = median(ffmpegCpu);
            System.out.printf(Locale.ROOT, "median: ours %.3f CPU-s per video-s, Debian ffmpeg %.3f, ratio ours/ffmpeg "
                    + "%.3f (target <= 1.15)%n", our, theirs, our / theirs);
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    /** Process CPU seconds the ladder takes for {@code frames} frames, slots read in place. */
    private static double ours(MemorySegment[] slots, int frames) throws Exception {
        List<VideoEncoderSettings> renditions = new ArrayList<>();
        for (Object[] rung : LADDER) {
            renditions.add(new VideoEncoderSettings(VideoCodec.H264, (int) rung[1], (int) rung[2], FPS,
                    (int) rung[3] * 1000, FPS, "veryfast", "zerolatency", null, 0));
        }
        LadderSettings settings = new LadderSettings(InputFormat.YUV420P, WIDTH, HEIGHT, FPS, FPS, renditions);
        try (LadderEncoder encoder = LadderEncoder.open(settings, new EncoderSelector(HardwareMode.SOFTWARE, false))) {
            long cpu = processCpuNs();
            for (int i = 0; i < frames; i++) {
                encoder.submit(slots[i % SLOTS], i * settings.frameDurationUs(), false);
                for (int r = 0; r < encoder.renditionCount(); r++) {
                    encoder.drain(r, packet -> { });
                }
            }
            for (int r = 0; r < encoder.renditionCount(); r++) {
                encoder.flush(r, packet -> { });
            }
            return (processCpuNs() - cpu) / 1e9;
        }
    }

    /** CPU seconds (user + system, as ffmpeg's -benchmark reports them) of the same ladder in one ffmpeg process. */
    private static double debianFfmpeg(Path raw, int frames) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(DEBIAN_FFMPEG.toString(), "-hide_banner", "-nostdin",
                "-benchmark", "-nostats", "-loglevel", "info", "-f", "rawvideo", "-pix_fmt", "yuv420p",
                "-s", WIDTH + "x" + HEIGHT, "-r", Integer.toString(FPS), "-i", raw.toString(),
                "-filter_complex", "[0:v]split=3[a][b][c];[b]scale=854:480:flags=bilinear[b2];"
                        + "[c]scale=640:360:flags=bilinear[c2]"));
        String[] labels = {"[a]", "[b2]", "[c2]"};
        for (int r = 0; r < LADDER.length; r++) {
            String kbps = LADDER[r][3] + "k";
            command.addAll(List.of("-map", labels[r], "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency",
                    "-b:v", kbps, "-maxrate", kbps, "-bufsize", kbps, "-g", Integer.toString(FPS),
                    "-keyint_min", Integer.toString(FPS), "-sc_threshold", "0", "-bf", "0",
                    "-x264-params", "filler=1", "-forced-idr", "1", "-frames:v", Integer.toString(frames),
                    "-f", "null", "-"));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("baseline ffmpeg failed:\n" + output);
        }
        Matcher m = BENCH.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no -benchmark line in ffmpeg's output:\n" + output);
        }
        return Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2));
    }

    private static void writeFrames(Path raw, MemorySegment[] slots, int frames) throws IOException {
        try (FileChannel out = FileChannel.open(raw, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int i = 0; i < frames; i++) {
                out.write(slots[i % SLOTS].asByteBuffer());
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
