package io.streammanager.muxer.output;

import java.util.Set;
import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg error codes as text and as our error categories. */
final class FfmpegErrors {
    // AVERROR(e) is -e on Linux
    private static final int ENOMEM = -12;
    /** rtmpproto returns -1 when the server answers with {@code _error} or an onStatus of level "error". */
    private static final int RTMP_SERVER_ERROR = -1;
    /** rtmppkt turns every failed read of a chunk (EOF included) into EIO; chunks are read only after the handshake. */
    private static final int EIO = -5;
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

    /**
     * An error of {@code avio_open2} on an {@code rtmp://} URL, judged by how far the connection got. FFmpeg's
     * rtmp_open connects TCP, does the RTMP handshake, sends connect / createStream / publish and returns only once
     * the server answers {@code NetStream.Publish.Start}; each stage fails with its own code:
     * <ul>
     *   <li>TCP never established (ECONNREFUSED: nothing listening, EHOSTUNREACH, ENOENT: unknown host) or cut by
     *       a timeout: a connection error, worth retrying;</li>
     *   <li>the peer closed during the handshake (AVERROR_EOF: not an RTMP server, or one too busy): retry;</li>
     *   <li>the server spoke RTMP and answered with an error ({@code _error}, onStatus level "error"): -1;</li>
     *   <li>the server ended the session after the handshake, while FFmpeg waited for the answer to connect or
     *       publish: EIO (rtmppkt's chunk reader maps the EOF to it). nginx-rtmp answers a refused
     *       {@code on_publish}/{@code on_connect} this way, and large platforms an unknown stream key.</li>
     * </ul>
     * The last two are refusals, unless the attempt was cut short by a timeout or abort: a read that timed out in
     * the chunk reader is EIO too.
     *
     * @param cutShort true if a deadline or an abort ended the attempt
     */
    static ErrorCategory categorizeRtmpOpen(int error, boolean cutShort) {
        if (!cutShort && (error == RTMP_SERVER_ERROR || error == EIO)) {
            return ErrorCategory.OUTPUT_REFUSED;
        }
        return categorize(error, ErrorCategory.OUTPUT_CONNECTION);
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
