package io.streammanager.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays an RTMP URL with the ffmpeg CLI, decoding every frame ({@code showinfo}), and records when each decoded frame
 * arrived, its pts and size, and every error line the decoder or demuxer printed.
 */
final class FfmpegPlayer implements AutoCloseable {

    /** One decoded frame: when it came out of the decoder (monotonic and wall clock), its pts and size. */
    record Frame(long arrivalNanos, long arrivalEpochUs, long index, double ptsSeconds, int width, int height) {
    }

    /** The muxer's stream metadata: the wall-clock capture time (µs) of timestamp 0 on its connection. */
    private static final Pattern CAPTURE_EPOCH = Pattern.compile("\\bsm_capture_epoch_us\\s*:\\s*(\\d+)");
    private static final Pattern SHOWINFO = Pattern.compile("Parsed_showinfo.*?\\bn:\\s*(\\d+).*?pts_time:(\\S+).*?\\bs:(\\d+)x(\\d+)");

    /** With {@code -loglevel level+...} every line carries its level, after the logging context if there is one. */
    private static final Pattern ERROR_LEVEL = Pattern.compile("^(\\[[^\\]]*@[^\\]]*\\] )?\\[(error|fatal|panic)\\]");
    /**
     * The player's own discard output ({@code -f null}) complaining about the timestamps it was handed, not a decode
     * error. Seen once in SceneIT's platform player, on every third frame (dts 5 >= 5, 8 >= 8, ...), while the same
     * stream's capture player (-copyts, every pts) saw 620 frames and no gap over 34 ms: most likely the output's
     * rounding of millisecond FLV times to a 1/30 s time base when they sit half a frame off its grid (not confirmed).
     */
    private static final Pattern OWN_NULL_OUTPUT = Pattern.compile("^\\[null @ [^\\]]*\\] \\[error\\] Application "
            + "provided invalid, non monotonically increasing dts to muxer");

    private final Process process;
    private final long startNanos;
    private final List<Frame> frames = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> tail = new ArrayList<>();
    private final Thread reader;
    private long captureEpochUsAtZero = -1;

    private FfmpegPlayer(List<String> command) throws IOException {
        startNanos = System.nanoTime();
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        reader = Thread.ofPlatform().daemon().name("ffmpeg-player-" + process.pid()).start(this::readOutput);
    }

    /** Plays {@code url} until {@code frameCount} frames are decoded. */
    static FfmpegPlayer play(String url, int frameCount) throws IOException {
        return play(url, frameCount, List.of());
    }

    /** As {@link #play(String, int)}, with extra input options (e.g. {@code -copyts} to keep the stream's timestamps). */
    static FfmpegPlayer play(String url, int frameCount, List<String> inputOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of(MediaTools.ffmpeg(), "-hide_banner", "-nostdin", "-nostats",
                "-loglevel", "level+info", "-rw_timeout", "10000000"));
        command.addAll(inputOptions);
        command.addAll(List.of("-i", url, "-frames:v", Integer.toString(frameCount), "-vf", "showinfo", "-f", "null", "-"));
        return new FfmpegPlayer(command);
    }

    /**
     * Captures {@code seconds} (at 30 fps) of {@code url} with the stream's own timestamps ({@code -copyts}) into raw files: every
     * picture, scaled (nearest neighbour) to {@code width}x{@code height} packed RGB24, into {@code pictures}, in
     * the order of {@link #frames()} (no picture duplicated or dropped); the sound as interleaved stereo S16 at 48 kHz
     * into {@code sound}, padded with silence to start at stream time 0, so sample i is at i / 48000 s.
     */
    static FfmpegPlayer capture(String url, double seconds, int width, int height, Path pictures, Path sound)
            throws IOException {
        String duration = Double.toString(seconds);
        return new FfmpegPlayer(List.of(MediaTools.ffmpeg(), "-hide_banner", "-nostdin", "-nostats",
                "-loglevel", "level+info", "-rw_timeout", "10000000", "-copyts", "-i", url,
                // -t would count from timestamp 0 under -copyts, not from where this player joined: count frames,
                // and trim the sound by its own duration
                "-map", "0:v:0", "-frames:v", Long.toString(Math.round(seconds * 30)),
                "-vf", "scale=" + width + ":" + height + ":flags=neighbor,showinfo",
                "-fps_mode", "passthrough", "-pix_fmt", "rgb24", "-f", "rawvideo", "-y", pictures.toString(),
                "-map", "0:a:0", "-af", "atrim=duration=" + duration + ",aresample=48000:async=1:first_pts=0", "-ac", "2",
                "-f", "s16le", "-y", sound.toString()));
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                long now = System.nanoTime();
                java.time.Instant wall = java.time.Instant.now();
                long nowEpochUs = wall.getEpochSecond() * 1_000_000 + wall.getNano() / 1_000;
                synchronized (this) {
                    // a line may hold more than one record if ffmpeg's threads print at once: look for each kind
                    Matcher m = SHOWINFO.matcher(line);
                    boolean known = false;
                    while (m.find()) {
                        frames.add(new Frame(now, nowEpochUs, Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)),
                                Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))));
                        known = true;
                    }
                    Matcher epoch = CAPTURE_EPOCH.matcher(line);
                    if (epoch.find()) {
                        known = true;
                        if (captureEpochUsAtZero < 0) {
                            captureEpochUsAtZero = Long.parseLong(epoch.group(1));
                        }
                    }
                    if (!known && ERROR_LEVEL.matcher(line).find() && !OWN_NULL_OUTPUT.matcher(line).find()) {
                        errors.add(line);
                    }
                    tail.add(line);
                    if (tail.size() > 30) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException ignored) {
            // the process ended; what was read is what there is
        }
    }

    /** Waits for ffmpeg to finish; returns its exit code, or -1 if it had to be stopped. */
    int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            return -1;
        }
        reader.join(2000);
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    synchronized List<Frame> frames() {
        return List.copyOf(frames);
    }

    synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    synchronized String tail() {
        return String.join("\n", tail);
    }

    /** The capture time of stream timestamp 0 announced in the stream's metadata, or -1 if there was none. */
    synchronized long captureEpochUsAtZero() {
        return captureEpochUsAtZero;
    }

    long startNanos() {
        return startNanos;
    }

    /** Waits until at least {@code count} frames were decoded; false if ffmpeg ended or time ran out first. */
    boolean awaitFrames(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                if (frames.size() >= count) {
                    return true;
                }
            }
            if (!process.isAlive()) {
                reader.join(1000);
                synchronized (this) {
                    return frames.size() >= count;
                }
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
