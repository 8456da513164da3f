package io.streammanager.muxer.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ffmpeg CLI from the JavaCV natives jar as a real RTMP server (listen mode) and as a checker of what arrived.
 * Every process is stopped by its own handle (destroy, then destroyForcibly), never by name.
 */
public final class FfmpegCli {
    private static volatile String executable;

    private FfmpegCli() {
    }

    private static volatile String probeExecutable;

    /** ffprobe from the same natives jar. */
    public static String probe() {
        if (probeExecutable == null) {
            probeExecutable = org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffprobe.class);
        }
        return probeExecutable;
    }

    /** Runs a bounded ffmpeg or ffprobe command; returns its exit code and merged output. */
    public static Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Path log = Files.createTempFile("ffmpeg-cli-", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException(command.getFirst() + " did not finish in " + timeout);
                }
            } finally {
                stop(process);
            }
            return new Result(process.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    public record Result(int exitCode, String output) {
    }

    public static String executable() {
        if (executable == null) {
            executable = org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        }
        return executable;
    }

    /** An RTMP listener that decodes {@code frames} video frames and prints their framemd5 lines to {@code out}. */
    public static Listener decodeFrames(int port, int frames, Path out) throws IOException {
        return new Listener(start(List.of("-analyzeduration", "500000", "-listen", "1", "-i", "rtmp://127.0.0.1:" + port + "/live/x",
                "-frames:v", Integer.toString(frames), "-f", "framemd5", out.toString()), log(out)), out);
    }

    /**
     * An RTMP listener that plays like a player would (FFmpeg's default probing) and exits after its first decoded
     * video frame: how long that takes is what a viewer waits.
     */
    public static Listener playFirstFrame(int port, Path log) throws IOException {
        return new Listener(start(List.of("-listen", "1", "-i", "rtmp://127.0.0.1:" + port + "/live/x",
                "-frames:v", "1", "-f", "null", "-"), log), log);
    }

    /** An RTMP listener that copies what it receives into an FLV file until the publisher leaves. */
    public static Listener copyToFlv(int port, Path out) throws IOException {
        return new Listener(start(List.of("-analyzeduration", "500000", "-listen", "1", "-i", "rtmp://127.0.0.1:" + port + "/live/x",
                "-c", "copy", "-f", "flv", out.toString()), log(out)), out);
    }

    /** Decodes a file and returns its framemd5 lines. */
    public static FrameMd5 decodeFile(Path file, Path workDir) throws IOException, InterruptedException {
        Path out = workDir.resolve(file.getFileName() + ".framemd5");
        Process process = start(List.of("-i", file.toString(), "-f", "framemd5", out.toString()), log(out));
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("ffmpeg decode of " + file + " did not finish in 30 s");
            }
        } finally {
            stop(process);
        }
        return FrameMd5.parse(out);
    }

    private static Path log(Path out) {
        return out.resolveSibling(out.getFileName() + ".log");
    }

    private static Process start(List<String> arguments, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(executable());
        command.addAll(List.of("-hide_banner", "-nostdin", "-loglevel", "info", "-y"));
        command.addAll(arguments);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    static void stop(Process process) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
            }
        }
    }

    /** A running ffmpeg listener; close stops it by its PID. */
    public record Listener(Process process, Path out) implements AutoCloseable {
        public boolean awaitExit(long timeout, TimeUnit unit) throws InterruptedException {
            return process.waitFor(timeout, unit);
        }

        public long pid() {
            return process.pid();
        }

        @Override
        public void close() throws InterruptedException {
            stop(process);
        }
    }

    /**
     * framemd5 output: one line per decoded frame ("stream, dts, pts, duration, size, md5"). {@link #count()} and the
     * pts checks are about the video (stream 0, which ffmpeg maps first); audio lines are counted apart.
     */
    public record FrameMd5(List<long[]> frames, List<long[]> audioFrames) {
        public static FrameMd5 parse(Path file) throws IOException {
            List<long[]> frames = new ArrayList<>();
            List<long[]> audioFrames = new ArrayList<>();
            if (!Files.exists(file)) {
                return new FrameMd5(frames, audioFrames);
            }
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split(",");
                long[] frame = {Long.parseLong(fields[1].strip()), Long.parseLong(fields[2].strip())};
                (Integer.parseInt(fields[0].strip()) == 0 ? frames : audioFrames).add(frame);
            }
            return new FrameMd5(frames, audioFrames);
        }

        public int audioCount() {
            return audioFrames.size();
        }

        public int count() {
            return frames.size();
        }

        /** True if pts strictly grows from frame to frame. */
        public boolean ptsStrictlyIncreasing() {
            for (int i = 1; i < frames.size(); i++) {
                if (frames.get(i)[1] <= frames.get(i - 1)[1]) {
                    return false;
                }
            }
            return true;
        }

        public long firstPts() {
            return frames.isEmpty() ? -1 : frames.getFirst()[1];
        }
    }
}
