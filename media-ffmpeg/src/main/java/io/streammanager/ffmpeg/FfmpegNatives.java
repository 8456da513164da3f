package io.streammanager.ffmpeg;

import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.swresample;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacpp.Loader;

/**
 * Loads FFmpeg's native libraries, and JavaCPP's own, once per JVM and on one thread at a time.
 *
 * <p>Why this exists: JavaCPP can deadlock when two threads make their first FFmpeg call at once. One thread
 * holds {@code Loader}'s lock while a library's JNI_OnLoad needs the {@code Pointer} class initialised; the other
 * is inside {@code Pointer}'s static initialiser, waiting for {@code Loader}'s lock. (Seen: the gateway's startup
 * installing the log bridge while its HLS packager warmed up the natives.) Every service calls {@link #load()}
 * from its first startup observer, before any thread of its own touches FFmpeg, and anything that warms the
 * natives up on another thread goes through here too, so the first load is never raced.
 */
public final class FfmpegNatives {

    private static volatile boolean loaded;

    private FfmpegNatives() {
    }

    /** Loads the libraries (a no-op once done); throws what JavaCPP throws if they cannot load. */
    public static void load() {
        if (loaded) {
            return;
        }
        synchronized (FfmpegNatives.class) {
            if (!loaded) {
                // avformat pulls in avcodec and avutil (and JavaCPP's Pointer); the scalers are separate libraries
                Loader.load(avformat.class);
                Loader.load(swscale.class);
                Loader.load(swresample.class);
                loaded = true;
            }
        }
    }
}
