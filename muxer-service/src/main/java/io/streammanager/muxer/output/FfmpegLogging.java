package io.streammanager.muxer.output;

import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.jboss.logging.Logger;

/** Sends FFmpeg's log to our logger, with URLs masked (FFmpeg likes to print the URL it failed to open). */
public final class FfmpegLogging {
    private static final Logger LOG = Logger.getLogger("io.streammanager.muxer.ffmpeg");
    private static final Object LOCK = new Object();
    private static volatile boolean installed;
    private static LogCallback callback; // strongly held: FFmpeg keeps calling it

    private FfmpegLogging() {
    }

    /** Idempotent; also initialises FFmpeg's network layer once. */
    public static void install() {
        if (installed) {
            return;
        }
        synchronized (LOCK) {
            if (installed) {
                return;
            }
            Loader.load(avformat.class);
            avformat.avformat_network_init();
            callback = new MaskingLogCallback();
            avutil.setLogCallback(callback);
            avutil.av_log_set_level(LOG.isDebugEnabled() ? avutil.AV_LOG_VERBOSE : avutil.AV_LOG_WARNING);
            installed = true;
        }
    }

    private static final class MaskingLogCallback extends LogCallback {
        @Override
        public void call(int level, BytePointer message) {
            String text = message == null ? "" : message.getString().strip();
            if (text.isEmpty()) {
                return;
            }
            Logger.Level target;
            // FFmpeg's errors are ours to judge (a refused connection is a retry, not an error): at most WARN
            if (level <= avutil.AV_LOG_WARNING) {
                target = Logger.Level.WARN;
            } else if (level <= avutil.AV_LOG_INFO) {
                target = Logger.Level.INFO;
            } else {
                target = Logger.Level.DEBUG;
            }
            LOG.log(target, UrlMasking.mask(text));
        }
    }
}
