package io.streammanager.gateway.hls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.streammanager.gateway.it.FlvFile;
import org.bytedeco.javacpp.Loader;

/** An H.264/AAC FLV file made by the JavaCV natives' ffmpeg for a test, read back as tags. */
final class FlvSource {

    private FlvSource() {
    }

    static String ffmpeg() {
        return Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    }

    static String ffprobe() {
        return Loader.load(org.bytedeco.ffmpeg.ffprobe.class);
    }

    /** {@code seconds} of testsrc2 at {@code size}, 30 fps, a keyframe every {@code gop} frames (B-frames on), and AAC. */
    static List<FlvFile.Tag> make(Path dir, String size, int seconds, int gop) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path file = dir.resolve("source-" + size + "-" + gop + ".flv");
        Process process = new ProcessBuilder(ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", Integer.toString(seconds),
                "-c:v", "libx264", "-preset", "veryfast", "-g", Integer.toString(gop), "-keyint_min", Integer.toString(gop),
                "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "flv", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("ffmpeg could not make " + file + ":\n" + out);
        }
        return FlvFile.read(file);
    }

    /** Runs a program to its end and returns what it printed (stdout and stderr). */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command + " did not end:\n" + out);
        }
        return out;
    }
}
