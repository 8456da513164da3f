package io.streammanager.ffmpeg;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * FFmpeg error codes as text ({@link #describe}), as exceptions ({@link #check}) and as kinds of failure
 * ({@link #kind}, {@link #kindOfRtmpOpen}) that each service maps onto its own error categories.
 */
public final class FfmpegErrors {

    /** What an FFmpeg error code says about the failure, as far as FFmpeg's codes can tell. */
    public enum Kind {
        /** The peer was unreachable, timed out, dropped the connection or was cut off by us: worth retrying. */
        CONNECTION,
        /** An RTMP server spoke RTMP and said no (a wrong stream key, publishing not allowed): retrying cannot help. */
        REFUSED,
        /** FFmpeg ran out of memory. */
        OUT_OF_MEMORY,
        /** Anything else: the caller knows what the failed step was and decides. */
        OTHER
    }

    private static final int MESSAGE_BYTES = 256;
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

    /** FFmpeg's text for {@code errorCode} followed by the code, e.g. "End of file (-541478725)". */
    public static String describe(int errorCode) {
        byte[] buffer = new byte[MESSAGE_BYTES];
        if (avutil.av_strerror(errorCode, buffer, buffer.length) < 0) {
            return "FFmpeg error " + errorCode;
        }
        int length = 0;
        while (length < buffer.length && buffer[length] != 0) {
            length++;
        }
        return new String(buffer, 0, length, StandardCharsets.UTF_8) + " (" + errorCode + ")";
    }

    /** Throws {@link FfmpegException} naming the operation when {@code result} is negative; returns it otherwise. */
    public static int check(int result, String operation) {
        if (result < 0) {
            throw new FfmpegException(operation + ": " + describe(result), result);
        }
        return result;
    }

    /** The kind of any failed call's {@code error}: out of memory, a connection error, or {@link Kind#OTHER}. */
    public static Kind kind(int error) {
        if (error == ENOMEM) {
            return Kind.OUT_OF_MEMORY;
        }
        if (error == avutil.AVERROR_EXIT || error == avutil.AVERROR_EOF || CONNECTION_ERRNOS.contains(error)) {
            return Kind.CONNECTION;
        }
        return Kind.OTHER;
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
     * the chunk reader is EIO too. Any other code is as {@link #kind} says, {@link Kind#OTHER} included: an open
     * that fails for no network reason is still the caller's to name.
     *
     * @param cutShort true if a deadline or an abort ended the attempt
     */
    public static Kind kindOfRtmpOpen(int error, boolean cutShort) {
        if (!cutShort && (error == RTMP_SERVER_ERROR || error == EIO)) {
            return Kind.REFUSED;
        }
        return kind(error);
    }
}
