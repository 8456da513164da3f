package io.streammanager.system.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bytedeco.javacpp.Loader;

/** The benchmark's source: an FLV file encoded once by FFmpeg (JavaCV's binary), read into memory as tags. */
final class FlvSource {

    /** One FLV tag: type 8 audio, 9 video, 18 script data; timestamp in ms; the tag body as published. */
    record Tag(int type, int timestamp, byte[] body) {
    }

    final List<Tag> tags;
    /** Timestamp just past the last tag: the offset added on each loop so timestamps keep increasing. */
    final int loopDurationMs;
    final long mediaBytesPerLoop;

    private FlvSource(List<Tag> tags, int loopDurationMs, long mediaBytesPerLoop) {
        this.tags = tags;
        this.loopDurationMs = loopDurationMs;
        this.mediaBytesPerLoop = mediaBytesPerLoop;
    }

    /** Encodes the 720p30 2.5 Mbit/s H.264 + AAC file unless it is already there. */
    static void ensureEncoded(Path file, int seconds) throws IOException, InterruptedException {
        if (Files.isRegularFile(file) && Files.size(file) > 0) {
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        Process p = new ProcessBuilder(ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", Integer.toString(seconds),
                "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-profile:v", "high",
                "-b:v", "2500k", "-maxrate", "2500k", "-bufsize", "2500k",
                "-g", "60", "-keyint_min", "60", "-sc_threshold", "0", "-bf", "0",
                "-c:a", "aac", "-b:a", "128k", "-ac", "2",
                "-f", "flv", partial.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                throw new IOException("ffmpeg did not finish encoding the benchmark source in 10 minutes");
            }
        } finally {
            p.destroyForcibly();
        }
        if (p.exitValue() != 0) {
            throw new IOException("ffmpeg failed encoding the benchmark source: exit " + p.exitValue());
        }
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static FlvSource read(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        if (in.remaining() < 13 || in.get(0) != 'F' || in.get(1) != 'L' || in.get(2) != 'V') {
            throw new IOException(file + " is not an FLV file");
        }
        in.position(in.getInt(5) + 4);
        List<Tag> tags = new ArrayList<>();
        int last = 0;
        int lastVideo = 0;
        int videoFrames = 0;
        long media = 0;
        while (in.remaining() >= 11) {
            int type = in.get() & 0x1F;
            int size = u24(in);
            int ts = u24(in) | ((in.get() & 0xFF) << 24);
            u24(in); // stream id
            if (in.remaining() < size + 4) {
                break;
            }
            byte[] body = new byte[size];
            in.get(body);
            in.getInt(); // previous tag size
            if (type == 8 || type == 9 || type == 18) {
                tags.add(new Tag(type, ts, body));
                if (type != 18) {
                    media += size;
                }
                if (type == 9) {
                    lastVideo = ts;
                    videoFrames++;
                }
                last = Math.max(last, ts);
            }
        }
        if (videoFrames < 2) {
            throw new IOException(file + " holds no video");
        }
        int frameMs = Math.max(1, lastVideo / (videoFrames - 1));
        return new FlvSource(tags, Math.max(last + 1, lastVideo + frameMs), media);
    }

    private static int u24(ByteBuffer in) {
        return ((in.get() & 0xFF) << 16) | ((in.get() & 0xFF) << 8) | (in.get() & 0xFF);
    }
}
