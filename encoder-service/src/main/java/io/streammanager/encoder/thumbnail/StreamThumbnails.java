package io.streammanager.encoder.thumbnail;

import java.awt.image.BufferedImage;
import java.lang.foreign.MemorySegment;

import org.jboss.logging.Logger;

import io.streammanager.encoder.codec.InputFormat;
import io.streammanager.encoder.pipeline.ThumbnailTap;

/**
 * One stream's thumbnail clock, on its worker's thread. The period runs on capture time, not on the wall clock, so a
 * worker catching up after a stall makes no burst, and it stays in phase (the next is due one interval after the
 * previous was due, or after this frame when frames were missing for longer). A capture clock that goes back (a new
 * composition) makes one due at once.
 */
final class StreamThumbnails implements ThumbnailTap {

    private static final Logger LOG = Logger.getLogger(StreamThumbnails.class);

    private final String streamId;
    private final ThumbnailSettings settings;
    private final Thumbnails service;
    private final long intervalMs;
    private FrameGrabber grabber;
    private long dueMs = Long.MIN_VALUE;
    private long lastMs = Long.MIN_VALUE;
    private BufferedImage pending;
    private long pendingMs;
    private boolean failureLogged;

    StreamThumbnails(String streamId, ThumbnailSettings settings, Thumbnails service) {
        this.streamId = streamId;
        this.settings = settings;
        this.service = service;
        this.intervalMs = settings.interval().toMillis();
    }

    @Override
    public boolean grab(MemorySegment pixels, InputFormat format, int width, int height, long captureEpochUs) {
        long captureMs = captureEpochUs / 1_000;
        if (captureMs < dueMs && captureMs >= lastMs) {
            return false;
        }
        boolean inPhase = dueMs != Long.MIN_VALUE && captureMs >= lastMs && captureMs - dueMs < intervalMs;
        dueMs = (inPhase ? dueMs : captureMs) + intervalMs;
        lastMs = captureMs;
        try {
            if (grabber == null || !grabber.fits(format, width, height)) {
                closeGrabber();
                grabber = new FrameGrabber(format, width, height, settings.maxWidth());
            }
            long start = System.nanoTime();
            pending = grabber.grab(pixels);
            service.scaled(System.nanoTime() - start);
            pendingMs = captureMs;
            return true;
        } catch (RuntimeException e) {
            service.failed();
            if (!failureLogged) {
                failureLogged = true; // once per worker: the next period would say the same
                LOG.warnf("stream %s: cannot make a thumbnail: %s", streamId, e.toString());
            }
            return false;
        }
    }

    @Override
    public void publish(boolean intact) {
        BufferedImage image = pending;
        pending = null;
        if (image == null) {
            return;
        }
        if (intact) {
            service.submit(streamId, image, pendingMs);
        } else {
            service.failed();
            dueMs = Long.MIN_VALUE; // the slot was rewritten while read: take the next frame instead
        }
    }

    @Override
    public void close() {
        pending = null;
        closeGrabber();
    }

    private void closeGrabber() {
        if (grabber != null) {
            grabber.close();
            grabber = null;
        }
    }
}
