package io.streammanager.muxer.delivery;

import static org.bytedeco.ffmpeg.global.avutil.av_opt_child_next;

import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avutil.AVClass;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Finds the TCP socket under an open FFmpeg {@code rtmp://} output, so the kernel can tell us what the platform
 * acknowledged ({@link TcpDelivery}).
 *
 * <p>Why this way. FFmpeg keeps the socket three objects deep (AVIOContext -> the rtmp URLContext -> its
 * RTMPContext -> the tcp URLContext -> its TCPContext.fd), and no public function returns it
 * ({@code ffurl_get_file_handle} is not exported). The alternatives were worse: matching sockets in
 * {@code /proc/self/fd} by peer address is ambiguous when two outputs go to the same host and port (a common case:
 * two keys on one platform ingest), and RTMP Acknowledgement messages are consumed inside FFmpeg's rtmp protocol
 * (and come only every window, 2.5-5 MB, i.e. tens of seconds at a stream's bitrate). So we walk the objects, using
 * FFmpeg's public {@code av_opt_child_next} (AVIOContext -> URLContext -> protocol context) for the hops it offers,
 * and reading only two fields ourselves, both unchanged since 2012: {@code RTMPContext.stream} and
 * {@code TCPContext.fd}, each right after its context's leading {@code const AVClass *}. Every hop is checked by
 * the AVClass name FFmpeg gives the object ("URLContext", "rtmp", "tcp"), and the fd found must be a stream socket
 * whose peer port is the URL's. Anything else (rtmps, whose socket sits under a TLS context; a future FFmpeg
 * layout) returns -1, and the caller falls back to weaker evidence: FFmpeg's rtmp_open returns only after the
 * server's {@code NetStream.Publish.Start}, plus write progress.
 */
public final class RtmpSocket {
    private static final int AFTER_CLASS_POINTER = 1; // index of the field after the leading AVClass pointer

    private RtmpSocket() {
    }

    /**
     * @param io   the output's open AVIOContext (from avio_open2 on an rtmp:// URL)
     * @param port the URL's port (1935 if it names none)
     * @return the socket's fd, or -1 if it cannot be found with certainty
     */
    public static int fd(AVIOContext io, int port) {
        if (io == null || io.isNull()) {
            return -1;
        }
        Pointer rtmpUrl = av_opt_child_next(io, null);
        if (!named(rtmpUrl, "URLContext")) {
            return -1;
        }
        Pointer rtmp = av_opt_child_next(rtmpUrl, null);
        if (!named(rtmp, "rtmp")) {
            return -1;
        }
        Pointer tcpUrl = new PointerPointer<>(rtmp).get(AFTER_CLASS_POINTER);
        if (!named(tcpUrl, "URLContext")) {
            return -1;
        }
        Pointer tcp = av_opt_child_next(tcpUrl, null);
        if (!named(tcp, "tcp")) {
            return -1;
        }
        // TCPContext: { const AVClass *class; int fd; ... } -> the int right after the 8-byte pointer
        int fd = new IntPointer(tcp).get(2);
        if (!TcpDelivery.isStreamSocket(fd) || TcpDelivery.peerPort(fd) != port) {
            return -1;
        }
        return fd;
    }

    /** True if {@code object} is an FFmpeg object whose AVClass is called {@code name}. */
    private static boolean named(Pointer object, String name) {
        if (object == null || object.isNull()) {
            return false;
        }
        Pointer classPointer = new PointerPointer<>(object).get(0);
        if (classPointer == null || classPointer.isNull()) {
            return false;
        }
        AVClass avClass = new AVClass(classPointer);
        return avClass.class_name() != null && !avClass.class_name().isNull()
                && name.equals(avClass.class_name().getString());
    }
}
