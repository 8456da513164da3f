package io.streammanager.composition.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * A constant-rate frame clock on its own platform thread. Frame {@code i} is due at {@code start + i *
 * frameDuration}; the thread parks until then (no spinning: the machine's cores belong to x264), paints the
 * frame straight into the sink's next slot and publishes it with {@code pts = i * frameDurationUs} (for a clock
 * {@link #atRate at a whole rate}: {@code i * 10^6 / fps}, rounded down, so that pts never drift from a sample
 * count of the same rate, which a rounded frame duration would by a third of a microsecond a frame) and the wall
 * clock at the start of painting as capture time.
 *
 * <p>The clock never slows down to absorb a hiccup. A frame that starts more than a quarter frame late counts as
 * late. Up to {@link #CATCH_UP_FRAMES} frames behind (the thread descheduled for a moment on a busy machine), the
 * clock catches up: it paints the missed frames back to back, so no frame is lost and pts stay whole; further
 * behind, it skips the missed slots (they are counted as dropped, and pts jumps with them) so that wall clock and
 * pts stay locked together.
 */
public final class FrameClock {

    private static final Logger LOG = Logger.getLogger(FrameClock.class);

    private final String name;
    private final long frameDurationUs;
    /** Frame i is due {@code i * periodUs / framesPerPeriod} after the start. */
    private final long periodUs;
    private final long framesPerPeriod;
    private final long frameDurationNs;
    private final long lateToleranceNs;
    /** Frames behind that are painted back to back rather than skipped. */
    static final int CATCH_UP_FRAMES = 2;
    private final FrameSink sink;
    private final FramePainter painter;
    private final ClockListener listener;
    private final FrameClockStats stats = new FrameClockStats();
    private volatile boolean running;
    private Thread thread;

    public FrameClock(String name, long frameDurationUs, FrameSink sink, FramePainter painter, ClockListener listener) {
        this(name, frameDurationUs, 1, sink, painter, listener);
    }

    /** A clock of exactly {@code fps} frames a second: frame i has pts {@code i * 1_000_000 / fps} (rounded down). */
    public static FrameClock atRate(String name, int fps, FrameSink sink, FramePainter painter,
                                    ClockListener listener) {
        if (fps <= 0) {
            throw new IllegalArgumentException("fps=" + fps + " must be positive");
        }
        return new FrameClock(name, 1_000_000, fps, sink, painter, listener);
    }

    private FrameClock(String name, long periodUs, long framesPerPeriod, FrameSink sink, FramePainter painter,
                       ClockListener listener) {
        if (periodUs <= 0 || periodUs / framesPerPeriod <= 0) {
            throw new IllegalArgumentException("frameDurationUs=" + periodUs / framesPerPeriod + " must be positive");
        }
        this.name = name;
        this.periodUs = periodUs;
        this.framesPerPeriod = framesPerPeriod;
        this.frameDurationUs = periodUs / framesPerPeriod;
        this.frameDurationNs = periodUs * 1000 / framesPerPeriod;
        this.lateToleranceNs = frameDurationNs / 4;
        this.sink = sink;
        this.painter = painter;
        this.listener = listener;
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("frame clock " + name + " already started");
        }
        running = true;
        thread = Thread.ofPlatform().name("frame-clock-" + name).daemon(true).unstarted(this::run);
        thread.start();
    }

    /**
     * Stops the clock and waits for its thread to finish the frame in hand; returns false if it did not finish
     * within {@code timeout} (the sink must then not be closed under it).
     */
    public synchronized boolean stop(Duration timeout) {
        running = false;
        if (thread == null) {
            return true;
        }
        LockSupport.unpark(thread);
        try {
            thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    public FrameClockStats stats() {
        return stats;
    }

    public long frameDurationUs() {
        return frameDurationUs;
    }

    private void run() {
        long startNs = System.nanoTime();
        long index = 0;
        while (running) {
            long dueNs = startNs + index * periodUs * 1000 / framesPerPeriod;
            long nowNs = parkUntil(dueNs);
            if (!running) {
                break;
            }
            long lateNs = nowNs - dueNs;
            if (lateNs > CATCH_UP_FRAMES * frameDurationNs) {
                long missed = lateNs / frameDurationNs;
                index += missed;
                lateNs -= missed * frameDurationNs;
                stats.framesDropped(missed);
                listener.framesDropped(missed);
            }
            if (lateNs > lateToleranceNs) {
                stats.frameLate();
                listener.frameLate();
            }
            renderFrame(index, nowNs);
            index++;
        }
    }

    private long parkUntil(long dueNs) {
        long nowNs = System.nanoTime();
        while (running && nowNs < dueNs) {
            LockSupport.parkNanos(this, dueNs - nowNs);
            nowNs = System.nanoTime();
        }
        return nowNs;
    }

    private void renderFrame(long index, long startedNs) {
        long ptsUs = index * periodUs / framesPerPeriod;
        long captureEpochUs = epochMicros(Instant.now());
        try {
            painter.paint(sink.claim(), index, ptsUs, captureEpochUs);
            sink.publish(ptsUs, captureEpochUs);
            long endNs = System.nanoTime();
            stats.frameRendered(index, endNs);
            listener.frameRendered(endNs - startedNs);
        } catch (RuntimeException e) {
            stats.frameFailed();
            listener.frameFailed(e);
            if (stats.failedFrames() == 1 || stats.failedFrames() % 1000 == 0) {
                LOG.errorf(e, "frame clock %s: painting frame %d failed (%d failures so far)", name, index,
                        stats.failedFrames());
            }
        }
        sink.heartbeat();
    }

    private static long epochMicros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
    }
}
