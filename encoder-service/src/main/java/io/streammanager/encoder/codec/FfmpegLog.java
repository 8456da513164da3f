package io.streammanager.encoder.codec;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.jboss.logging.Logger;

/**
 * Routes FFmpeg's own log (av_log) into our logger, and lets one thread capture what FFmpeg says while it probes
 * an encoder, so a failed open can be reported with FFmpeg's reason instead of a bare error code.
 */
public final class FfmpegLog {

    private static final Logger LOG = Logger.getLogger("io.streammanager.encoder.ffmpeg");
    private static final ThreadLocal<List<String>> CAPTURED = new ThreadLocal<>();
    /** Held for the life of the JVM: FFmpeg keeps calling it from native threads. */
    private static final Forwarder FORWARDER = new Forwarder();
    private static volatile boolean installed;

    private FfmpegLog() {
    }

    /** Installs the forwarder once per JVM; cheap to call again. */
    public static void install() {
        if (installed) {
            return;
        }
        synchronized (FfmpegLog.class) {
            if (!installed) {
                avutil.av_log_set_level(avutil.AV_LOG_INFO);
                avutil.setLogCallback(FORWARDER);
                installed = true;
            }
        }
    }

    /** From now until {@link #endCapture()}, this thread's FFmpeg lines are collected (and logged at DEBUG only). */
    static void beginCapture() {
        CAPTURED.set(new ArrayList<>());
    }

    /** Ends the capture and returns the collected lines joined, or "" if FFmpeg said nothing. */
    static String endCapture() {
        List<String> lines = CAPTURED.get();
        CAPTURED.remove();
        return lines == null ? "" : String.join("; ", lines);
    }

    private static final class Forwarder extends LogCallback {
        @Override
        public void call(int level, BytePointer message) {
            String line = message == null ? "" : message.getString().strip();
            if (line.isEmpty()) {
                return;
            }
            List<String> capture = CAPTURED.get();
            if (capture != null) {
                if (level <= avutil.AV_LOG_WARNING) {
                    capture.add(line);
                }
                LOG.debug(line);
                return;
            }
            if (level <= avutil.AV_LOG_ERROR) {
                LOG.error(line);
            } else if (level <= avutil.AV_LOG_WARNING) {
                LOG.warn(line);
            } else if (level <= avutil.AV_LOG_INFO) {
                // libx264 and friends are chatty at INFO on every open and close.
                LOG.debug(line);
            } else {
                LOG.trace(line);
            }
        }
    }
}
