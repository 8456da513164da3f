package io.streammanager.muxer.output;

import io.streammanager.bus.shm.CodecConfig;
import io.streammanager.ffmpeg.UrlMasking;
import java.time.Duration;
import java.util.Objects;

/**
 * How to open one FFmpeg output.
 *
 * @param url            rtmp(s) URL or a file path; may hold a key, never logged as is
 * @param format         FFmpeg muxer name ("flv")
 * @param start          the tracks' parameters (from the packet ring's CODEC_CONFIG records) and the capture time of
 *                       timestamp 0
 * @param connectTimeout bound on opening the connection and writing the header
 * @param ioTimeout      bound on any one write (and the trailer): a dead peer cannot hang the thread longer
 */
public record MuxerSettings(String url, String format, ConnectionStart start, Duration connectTimeout,
                            Duration ioTimeout) {

    public MuxerSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(ioTimeout, "ioTimeout");
    }

    /** The video track's parameters. */
    public CodecConfig codecConfig() {
        return start.video();
    }

    /** The audio track's parameters, or null for a video-only stream. */
    public CodecConfig audioConfig() {
        return start.audio();
    }

    /** True for RTMP/RTMPS outputs (TCP underneath). */
    public boolean rtmp() {
        return url.startsWith("rtmp://") || url.startsWith("rtmps://");
    }

    /** The URL's TCP port: the one it names, else RTMP's 1935 (RTMPS's 443). */
    public int port() {
        try {
            int port = java.net.URI.create(url).getPort();
            return port > 0 ? port : url.startsWith("rtmps://") ? 443 : 1935;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /** True for network outputs (the FLV trailer's seek-back is useless there). */
    public boolean network() {
        return url.contains("://") && !url.startsWith("file:");
    }

    @Override
    public String toString() {
        return "MuxerSettings[url=" + UrlMasking.mask(url) + ", format=" + format + ", connectTimeout="
                + connectTimeout + ", ioTimeout=" + ioTimeout + "]";
    }
}
