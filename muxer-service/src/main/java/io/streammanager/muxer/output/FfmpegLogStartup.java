package io.streammanager.muxer.output;

import io.quarkus.runtime.StartupEvent;
import io.streammanager.ffmpeg.FfmpegLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** FFmpeg's log goes to ours, masked, from startup on: before any stream opens a codec, a file or a connection. */
@ApplicationScoped
class FfmpegLogStartup {

    void install(@Observes StartupEvent event) {
        FfmpegLog.install();
    }
}
