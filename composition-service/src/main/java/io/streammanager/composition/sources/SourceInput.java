package io.streammanager.composition.sources;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * Where a video source reads from: a live URL, an asset file on the shared volume, or an asset's bytes from Redis.
 * {@link #check()} runs before every connection (the URL allow list, since a name may resolve differently now).
 */
record SourceInput(String url, Path file, byte[] bytes, boolean live, Runnable check) {

    static SourceInput url(String url, Runnable check) {
        return new SourceInput(url, null, null, true, check);
    }

    static SourceInput file(Path file) {
        return new SourceInput(null, file, null, false, () -> { });
    }

    static SourceInput bytes(byte[] bytes) {
        return new SourceInput(null, null, bytes, false, () -> { });
    }

    FFmpegFrameGrabber grabber() {
        if (url != null) {
            return new FFmpegFrameGrabber(url);
        }
        if (file != null) {
            return new FFmpegFrameGrabber(file.toFile());
        }
        return new FFmpegFrameGrabber(new ByteArrayInputStream(bytes), bytes.length);
    }
}
