package io.streammanager.gateway.hls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;

/** An H.264/AAC FLV file made by the JavaCV natives' ffmpeg for a test, read back as tags. */
final class FlvSource {

    record Tag(int typeId, long timestamp, byte[] body) {
    }

    private FlvSource() {
    }

    static String ffmpeg() {
        return Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    }

    static String ffprobe() {
        return Loader.load(org.bytedeco.ffmpeg.ffprobe.class);
    }

    /** {@code seconds} of testsrc2 at {@code size}, 30 fps, a keyframe every {@code gop} frames (B-frames on), and AAC. */
    static List<Tag> make(Path dir, String size, int seconds, int gop) throws IOException, InterruptedException {
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
        return read(file);
    }

    static List<Tag> read(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        in.position(in.getInt(5) + 4);
        List<Tag> tags = new ArrayList<>();
        while (in.remaining() >= 11) {
            int type = in.get() & 0x1F;
            int size = (in.get() & 0xFF) << 16 | (in.get() & 0xFF) << 8 | in.get() & 0xFF;
            long timestamp = (in.get() & 0xFF) << 16 | (in.get() & 0xFF) << 8 | in.get() & 0xFF;
            timestamp |= (long) (in.get() & 0xFF) << 24;
            in.position(in.position() + 3);
            if (in.remaining() < size + 4) {
                break;
            }
            tags.add(new Tag(type, timestamp, Arrays.copyOfRange(in.array(), in.position(), in.position() + size)));
            in.position(in.position() + size + 4);
        }
        return tags;
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
