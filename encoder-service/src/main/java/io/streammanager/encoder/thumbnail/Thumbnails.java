package io.streammanager.encoder.thumbnail;

import java.awt.image.BufferedImage;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.redis.datasource.RedisDataSource;
import io.streammanager.bus.control.ThumbnailEntry;
import io.streammanager.encoder.config.EncoderConfig;
import io.streammanager.encoder.pipeline.ThumbnailTap;

/**
 * The service's thumbnails: hands each stream worker a {@link ThumbnailTap} (which scales a frame on the worker's
 * thread, once per period), and encodes the JPEGs and writes them to Redis on one thread of its own, so neither a
 * JPEG encode nor a Redis round trip ever delays a frame. Its queue is bounded: when it is full (Redis stalled),
 * a thumbnail is dropped and counted, never queued without end.
 *
 * <p>Meters: {@code encoder_thumbnails_total} (stored), {@code encoder_thumbnail_failures_total} (dropped or failed),
 * {@code encoder_thumbnail_time{step=scale|jpeg}}.
 */
@ApplicationScoped
public class Thumbnails {

    private static final Logger LOG = Logger.getLogger(Thumbnails.class);
    /** A few periods of a few streams; beyond this Redis is not keeping up and older pictures are worth nothing. */
    private static final int QUEUE = 16;

    private final ThumbnailSettings settings;
    private final ThumbnailStore store;
    private final JpegWriter jpeg;
    private final ThreadPoolExecutor executor;
    private final Counter made;
    private final Counter failures;
    private final Timer scaleTime;
    private final Timer jpegTime;

    @Inject
    public Thumbnails(EncoderConfig config, RedisDataSource redis, MeterRegistry registry) {
        this(ThumbnailSettings.of(config.thumbnails()), redis, registry);
    }

    Thumbnails(ThumbnailSettings settings, RedisDataSource redis, MeterRegistry registry) {
        this.settings = settings;
        this.store = new ThumbnailStore(redis, settings.keep(), settings.ttl());
        this.jpeg = new JpegWriter(settings.jpegQuality());
        this.made = Counter.builder("encoder_thumbnails").description("Thumbnails encoded and stored")
                .register(registry);
        this.failures = Counter.builder("encoder_thumbnail_failures")
                .description("Thumbnails dropped (queue full, torn frame) or failed (scale, JPEG, Redis)")
                .register(registry);
        this.scaleTime = Timer.builder("encoder_thumbnail_time").tag("step", "scale")
                .description("Time to make one thumbnail: scale (on the encode thread), jpeg (off it)")
                .register(registry);
        this.jpegTime = Timer.builder("encoder_thumbnail_time").tag("step", "jpeg")
                .description("Time to make one thumbnail: scale (on the encode thread), jpeg (off it)")
                .register(registry);
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
                Thread.ofPlatform().name("thumbnails").daemon().factory(), (task, pool) -> {
                    failures.increment();
                    LOG.debug("thumbnail queue full: one dropped");
                });
    }

    /** A tap for one stream's worker; it does nothing when thumbnails are disabled. */
    public ThumbnailTap tap(String streamId) {
        return settings.enabled() ? new StreamThumbnails(streamId, settings, this) : ThumbnailTap.NONE;
    }

    /** Deletes the stream's thumbnails (it was deleted), after any of its thumbnails still queued. */
    public void forget(String streamId) {
        if (settings.enabled()) {
            executor.execute(() -> {
                try {
                    store.forget(streamId);
                } catch (RuntimeException e) {
                    LOG.warnf("stream %s: could not delete its thumbnails (they expire): %s", streamId, e.toString());
                }
            });
        }
    }

    void scaled(long nanos) {
        scaleTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    void failed() {
        failures.increment();
    }

    /** Encodes and stores {@code image} on the thumbnail thread. */
    void submit(String streamId, BufferedImage image, long captureTimeMs) {
        executor.execute(() -> {
            try {
                long start = System.nanoTime();
                byte[] bytes = jpeg.write(image);
                jpegTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                store.put(streamId, new ThumbnailEntry(captureTimeMs, image.getWidth(), image.getHeight(),
                        bytes.length), bytes);
                made.increment();
            } catch (RuntimeException e) {
                failures.increment();
                LOG.warnf("stream %s: thumbnail not stored: %s", streamId, e.toString());
            }
        });
    }

    @PreDestroy
    void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
