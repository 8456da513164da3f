package io.streammanager.system;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * When the first coded video frame reaches an RTMP client that is not ours: rtmpdump (librtmp) plays the stream
 * and writes FLV to its standard output; the time from starting rtmpdump to the first video tag carrying a picture
 * (not the AVC sequence header) is the time to first frame, with the client's own start-up included.
 */
final class FirstVideoTag {

    private static final int FLV_HEADER_AND_FIRST_TAG_SIZE = 9 + 4;
    private static final int TAG_HEADER_SIZE = 11;
    private static final int VIDEO_TAG = 9;
    private static final int AVC_SEQUENCE_HEADER = 0;

    private FirstVideoTag() {
    }

    /** Milliseconds from starting rtmpdump on {@code url} to the first video frame in its output. */
    static long millisToFirstFrame(String url, Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(List.of(MediaTools.rtmpdump().toString(), "--quiet", "--live",
                "--rtmp", url, "--flv", "-")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroy();
                }
            } catch (InterruptedException e) {
                process.destroy();
            }
        });
        try (DataInputStream in = new DataInputStream(process.getInputStream())) {
            in.skipNBytes(FLV_HEADER_AND_FIRST_TAG_SIZE);
            byte[] header = new byte[TAG_HEADER_SIZE];
            while (true) {
                in.readFully(header);
                int type = header[0] & 0x1f;
                int size = ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
                byte[] body = in.readNBytes(size);
                if (body.length < size) {
                    throw new EOFException("rtmpdump output ended inside a tag");
                }
                if (type == VIDEO_TAG && size > 2 && (body[1] & 0xff) != AVC_SEQUENCE_HEADER) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                }
                in.skipNBytes(4); // previous tag size
            }
        } catch (EOFException e) {
            throw new IOException("rtmpdump delivered no video frame within " + timeout, e);
        } finally {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            watchdog.interrupt();
        }
    }
}
