package io.streammanager.muxer.output;

import java.util.Set;
import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg error codes as text and as our error categories. */
final class FfmpegErrors {
    // AVERROR(e) is -e on Linux
    private static final int ENOMEM = -12;
    private static final Set<Integer> CONNECTION_ERRNOS = Set.of(
            -5 /* EIO */, -11 /* EAGAIN */, -32 /* EPIPE */, -100 /* ENETDOWN */, -101 /* ENETUNREACH */,
            -103 /* ECONNABORTED */, -104 /* ECONNRESET */, -107 /* ENOTCONN */, -110 /* ETIMEDOUT */,
            -111 /* ECONNREFUSED */, -113 /* EHOSTUNREACH */, -2 /* ENOENT: unknown host or missing dir */);

    private FfmpegErrors() {
    }

    static ErrorCategory categorize(int error, ErrorCategory otherwise) {
        if (error == ENOMEM) {
            return ErrorCategory.RESOURCE_LIMITATION;
        }
        if (error == avutil.AVERROR_EXIT || error == avutil.AVERROR_EOF || CONNECTION_ERRNOS.contains(error)) {
            return ErrorCategory.OUTPUT_CONNECTION;
        }
        return otherwise;
    }

    static String describe(int error) {
        byte[] buffer = new byte[256];
        if (avutil.av_strerror(error, buffer, buffer.length) < 0) {
            return "error " + error;
        }
        int length = 0;
        while (length < buffer.length && buffer[length] != 0) {
            length++;
        }
        return new String(buffer, 0, length, java.nio.charset.StandardCharsets.UTF_8) + " (" + error + ")";
    }
}
