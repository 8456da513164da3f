package io.streammanager.ffmpeg;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.jboss.logging.Logger;

/**
 * Routes FFmpeg's own log (av_log) into our logger {@code io.streammanager.ffmpeg}, every line passed through
 * {@link UrlMasking} first (FFmpeg likes to print the URL it failed to open, stream key included), and lets one
 * thread capture what FFmpeg says while it tries something (probing an encoder, decoding an upload), so a failure
 * can be reported with FFmpeg's reason instead of a bare error code.
 *
 * <p>Levels: FFmpeg's panic and fatal lines are errors; its errors and warnings are warnings, because every failing
 * call also returns a code and the caller judges it (a refused connection is a retry, a corrupt upload a 4xx);
 * info is debug (libx264 and friends are chatty on every open and close); the rest is trace. FFmpeg is told to
 * format only the lines our logger would keep, as it stood at {@link #install()}.
 */
public final class FfmpegLog {

    private static final Logger LOG = Logger.getLogger("io.streammanager.ffmpeg");
    private static final ThreadLocal<List<String>> CAPTURED = new ThreadLocal<>();
    /**
     * Held for the life of the JVM: FFmpeg keeps calling it from native threads. Made in {@link #install()}, after
     * {@link FfmpegNatives#load()}, never in this class's initialiser: a Pointer made there could race JavaCPP's
     * first load on another thread.
     */
    private static Forwarder forwarder;
    private static volatile boolean installed;

    private FfmpegLog() {
    }

    /** Installs the forwarder once per JVM; every service calls it at startup, and it is cheap to call again. */
    public static void install() {
        if (installed) {
            return;
        }
        int level = ffmpegLevel(LOG.isTraceEnabled(), LOG.isDebugEnabled());
        FfmpegNatives.load();
        synchronized (FfmpegLog.class) {
            if (!installed) {
                forwarder = new Forwarder();
                avutil.av_log_set_level(level);
                avutil.setLogCallback(forwarder);
                installed = true;
            }
        }
    }

    /**
     * From now until {@link #endCapture()}, this thread's FFmpeg lines are collected (and logged at DEBUG only).
     * Lines FFmpeg writes from its own threads (frame-threaded decoders) are not this thread's and are logged.
     */
    public static void beginCapture() {
        install(); // without the forwarder FFmpeg would print to stderr, and nothing would be captured
        CAPTURED.set(new ArrayList<>());
    }

    /** Ends the capture and returns the collected warnings and errors joined with "; ", or "" if there were none. */
    public static String endCapture() {
        List<String> lines = CAPTURED.get();
        CAPTURED.remove();
        return lines == null ? "" : String.join("; ", lines);
    }

    /** Our level for a line FFmpeg logged at {@code ffmpegLevel} (AV_LOG_*). */
    static Logger.Level levelOf(int ffmpegLevel) {
        if (ffmpegLevel <= avutil.AV_LOG_FATAL) {
            return Logger.Level.ERROR;
        }
        if (ffmpegLevel <= avutil.AV_LOG_WARNING) {
            return Logger.Level.WARN;
        }
        if (ffmpegLevel <= avutil.AV_LOG_INFO) {
            return Logger.Level.DEBUG;
        }
        return Logger.Level.TRACE;
    }

    /** The AV_LOG_* level up to which FFmpeg formats lines, so it never formats one our logger would drop. */
    static int ffmpegLevel(boolean traceEnabled, boolean debugEnabled) {
        if (traceEnabled) {
            return avutil.AV_LOG_VERBOSE;
        }
        return debugEnabled ? avutil.AV_LOG_INFO : avutil.AV_LOG_WARNING;
    }

    /** One line as it reaches the callback: stripped, masked, captured or logged. */
    static void forward(int ffmpegLevel, String message) {
        String line = message == null ? "" : UrlMasking.mask(message.strip());
        if (line.isEmpty()) {
            return;
        }
        List<String> capture = CAPTURED.get();
        if (capture != null) {
            if (ffmpegLevel <= avutil.AV_LOG_WARNING) {
                capture.add(line);
            }
            LOG.debug(line);
            return;
        }
        LOG.log(levelOf(ffmpegLevel), line);
    }

    private static final class Forwarder extends LogCallback {
        @Override
        public void call(int level, BytePointer message) {
            forward(level, message == null ? null : message.getString());
        }
    }
}
