package io.streammanager.system;

import java.nio.file.Path;
import java.nio.file.Paths;

import org.bytedeco.javacpp.Loader;

/** Paths of the independent media programs the system tests drive. */
final class MediaTools {

    private MediaTools() {
    }

    /** The ffmpeg CLI shipped in the JavaCV natives jar (not our code). */
    static String ffmpeg() {
        return Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    }

    /** The ffprobe CLI shipped in the JavaCV natives jar. */
    static String ffprobe() {
        return Loader.load(org.bytedeco.ffmpeg.ffprobe.class);
    }

    /** Debian's rtmpdump (librtmp), an RTMP implementation independent of FFmpeg's. */
    static Path rtmpdump() {
        return Paths.get("/usr/bin/rtmpdump");
    }

    /** Debian's GStreamer launcher (rtmp2src from gst-plugins-bad). */
    static Path gstLaunch() {
        return Paths.get("/usr/bin/gst-launch-1.0");
    }
}
