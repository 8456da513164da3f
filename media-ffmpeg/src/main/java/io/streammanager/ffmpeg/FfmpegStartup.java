package io.streammanager.ffmpeg;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Every service's first startup observer: loads FFmpeg's natives on the main thread ({@link FfmpegNatives}) and
 * routes FFmpeg's log to ours, masked ({@link FfmpegLog}), before any other observer (the control loop resuming
 * streams, a warm-up) starts a thread that touches FFmpeg.
 */
@ApplicationScoped
class FfmpegStartup {

    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        FfmpegNatives.load();
        FfmpegLog.install();
    }
}
