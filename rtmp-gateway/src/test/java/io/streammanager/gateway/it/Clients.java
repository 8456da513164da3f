package io.streammanager.gateway.it;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.Loader;

/** Command lines of the real RTMP clients: FFmpeg from the JavaCV natives jar, Debian's rtmpdump. */
final class Clients {

    static final String RTMPDUMP = "/usr/bin/rtmpdump";
    private static volatile String ffmpeg;

    private Clients() {
    }

    static String ffmpeg() {
        if (ffmpeg == null) {
            ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        }
        return ffmpeg;
    }

    /** A live test pattern with a tone, H.264 + AAC in FLV, keyframe every second, bounded to {@code seconds}. */
    static List<String> publish(String url, int seconds) {
        return List.of(ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "warning", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", Integer.toString(seconds),
                "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-g", "30", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "64k", "-f", "flv", url);
    }

    /** {@link #publish} with extra output options before the URL (e.g. {@code -output_ts_offset 16800}). */
    static List<String> publish(String url, int seconds, String... outputOptions) {
        List<String> command = new ArrayList<>(publish(url, seconds));
        command.addAll(command.size() - 1, List.of(outputOptions));
        return command;
    }

    /** A short H.264 + AAC FLV file: what a scripted publisher sends tag by tag. */
    static List<String> flvFile(String path, int seconds) {
        return flvFile(path, seconds, "320x180", 440);
    }

    /** An H.264/AAC FLV of {@code size} test picture and a sine of {@code frequencyHz}: distinct content per call. */
    static List<String> flvFile(String path, int seconds, String size, int frequencyHz) {
        return List.of(ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "warning", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=30",
                "-f", "lavfi", "-i", "sine=frequency=" + frequencyHz + ":sample_rate=44100",
                "-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "64k", "-f", "flv", path);
    }

    /**
     * Plays {@code url} and decodes {@code frames} video frames, discarding them; {@code inputOptions} go before -i
     * (e.g. the player's E-RTMP codec list).
     */
    static List<String> play(String url, int frames, String... inputOptions) {
        List<String> command = new ArrayList<>(List.of(ffmpeg(), "-hide_banner", "-nostdin", "-rw_timeout", "15000000"));
        command.addAll(List.of(inputOptions));
        command.addAll(List.of("-i", url, "-frames:v", Integer.toString(frames), "-f", "null", "-"));
        return command;
    }

    /** FFmpeg's HEVC encoder options for E-RTMP tests: fast, quiet, no B-frames. */
    static final String[] HEVC = {"-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error:bframes=0"};

    /**
     * 320x240 test pattern at 15 fps with a keyframe every second and AAC audio, encoded with {@code encoder} and
     * sent with the E-RTMP video header for {@code fourCc}.
     */
    static List<String> publishEnhanced(String url, int seconds, String fourCc, String... encoder) {
        List<String> command = new ArrayList<>(List.of(ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "warning", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", Integer.toString(seconds), "-pix_fmt", "yuv420p", "-g", "15"));
        command.addAll(List.of(encoder));
        command.addAll(List.of("-c:a", "aac", "-b:a", "48k", "-rtmp_enhanced_codecs", fourCc, "-f", "flv", url));
        return command;
    }

    /** Decodes a file completely; the stats line tells how many frames. */
    static List<String> decodeFile(String path) {
        return List.of(ffmpeg(), "-hide_banner", "-nostdin", "-i", path, "-map", "0:v", "-f", "null", "-");
    }

    static List<String> rtmpdump(String url, int seconds, String output) {
        List<String> command = new ArrayList<>(List.of(RTMPDUMP, "-r", url, "--live", "-B", Integer.toString(seconds),
                "-m", "20", "-o", output));
        return command;
    }

    static final String GST_LAUNCH = "/usr/bin/gst-launch-1.0";

    /** True if GStreamer has what {@link #gstreamerPublish} uses (x264enc comes with gstreamer1.0-plugins-ugly). */
    static boolean gstreamerCanPublish() {
        for (String element : List.of("x264enc", "voaacenc", "flvmux", "rtmp2sink")) {
            try {
                Process inspect = new ProcessBuilder("/usr/bin/gst-inspect-1.0", element).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!inspect.waitFor(20, java.util.concurrent.TimeUnit.SECONDS) || inspect.exitValue() != 0) {
                    inspect.destroyForcibly();
                    return false;
                }
            } catch (java.io.IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * GStreamer publishing a live test pattern and tone (H.264 + AAC in FLV) with rtmp2sink until stopped;
     * {@code sinkProperties} are extra rtmp2sink properties ("name=value").
     */
    static List<String> gstreamerPublish(String url, String... sinkProperties) {
        List<String> command = new ArrayList<>(List.of(GST_LAUNCH, "-e",
                "videotestsrc", "is-live=true", "!", "video/x-raw,width=320,height=240,framerate=30/1", "!",
                "x264enc", "tune=zerolatency", "speed-preset=veryfast", "key-int-max=30", "!", "h264parse", "!",
                "flvmux", "name=mux", "streamable=true", "!", "rtmp2sink", "location=" + url));
        command.addAll(List.of(sinkProperties));
        command.addAll(List.of("audiotestsrc", "is-live=true", "!", "audioconvert", "!", "voaacenc", "!", "aacparse",
                "!", "mux."));
        return command;
    }

    /**
     * GStreamer playing with rtmp2src ({@code srcProperties} are extra "name=value" properties), demuxing and decoding
     * the video with avdec_h264; it ends with EOS after {@code frames} decoded frames and prints nothing else.
     */
    static List<String> gstreamerPlay(String url, int frames, String... srcProperties) {
        List<String> command = new ArrayList<>(List.of(GST_LAUNCH, "-q", "rtmp2src", "location=" + url));
        command.addAll(List.of(srcProperties));
        command.addAll(List.of("!", "flvdemux", "name=demux", "demux.video", "!", "h264parse", "!", "avdec_h264", "!",
                "identity", "eos-after=" + frames, "!", "fakesink"));
        return command;
    }

    /**
     * A live H.264/AAC test pattern of {@code size} at 30 fps and {@code kbps}, a keyframe every second, announcing in
     * its metadata ({@code sm_capture_epoch_us}, as our muxer does) that timestamp 0 is the wall time
     * {@code captureEpochUs}. Each video frame's timestamp is the wall time its filter made it ({@code RTCTIME}) minus
     * that epoch, so the epoch plus a timestamp is the frame's capture time however FFmpeg paces or buffers; audio
     * keeps its sample clock from the same start ({@code RTCSTART}), so it stays contiguous.
     */
    static List<String> publishLive(String url, String size, int kbps, int seconds, long captureEpochUs) {
        String sinceEpoch = "-" + captureEpochUs + ")/(TB*1000000)";
        return List.of(ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "warning", "-re", "-readrate_initial_burst", "0",
                "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", Integer.toString(seconds),
                "-vf", "setpts=(RTCTIME" + sinceEpoch, "-af", "asetpts=N/SR/TB+(RTCSTART" + sinceEpoch,
                "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-g", "30", "-keyint_min", "30",
                "-sc_threshold", "0", "-b:v", kbps + "k", "-maxrate", kbps + "k", "-bufsize", kbps + "k",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k",
                "-metadata", "sm_capture_epoch_us=" + captureEpochUs, "-f", "flv", url);
    }

    /**
     * GStreamer's hlsdemux (not hlsdemux2) reading an HLS URL into qtdemux and avdec_h264; every decoded frame prints
     * one "chain" line ({@link #gstreamerFramesDecoded}). It runs until stopped: an adaptive demuxer swallows the
     * EOS that {@code identity eos-after} returns upstream, so the test counts frames instead.
     */
    static List<String> gstreamerPlayHls(String url) {
        return List.of(GST_LAUNCH, "-v", "souphttpsrc", "location=" + url, "!", "hlsdemux", "!", "qtdemux", "name=demux",
                "demux.video_0", "!", "h264parse", "!", "avdec_h264", "!", "fakesink", "name=frames", "sync=false",
                "silent=false");
    }

    static int gstreamerFramesDecoded(String output) {
        return output.split("frames: last-message = chain", -1).length - 1;
    }

    /** The last "frame=  N" of an ffmpeg run, or -1. */
    static int framesDecoded(String ffmpegOutput) {
        Matcher m = Pattern.compile("frame=\\s*(\\d+)").matcher(ffmpegOutput);
        int frames = -1;
        while (m.find()) {
            frames = Integer.parseInt(m.group(1));
        }
        return frames;
    }
}
