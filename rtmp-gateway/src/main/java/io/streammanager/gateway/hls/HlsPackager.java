package io.streammanager.gateway.hls;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * Packages one publisher session of one stream: the relay's messages are copied into a bounded queue (on the
 * publisher's event loop, never blocking it) and a task on the shared packaging executor drains it through the
 * {@link CmafSegmenter} into the stream's {@link MediaWindow}. The queue is drained by at most one task at a time, so
 * the segmenter and its native muxer have one owner; {@link #end()} is queued like media and closes them.
 */
final class HlsPackager {

    private static final Logger LOG = Logger.getLogger(HlsPackager.class);
    /** Messages handled per task before it yields the thread to other streams. */
    private static final int BATCH = 64;
    private static final int END = -1;

    private record Item(int typeId, long timestampMs, byte[] payload, long arrivalEpochMs) {
    }

    private final String name;
    private final MediaWindow window;
    private final HlsSettings settings;
    private final Executor executor;
    private final HlsObserver observer;
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private final CaptureClock clock = new CaptureClock();
    private final CmafSegmenter segmenter;
    /** This publisher session's number in the window: ending it never ends a newer session's playlist. */
    private final long session;
    private boolean scheduled;
    private boolean clockLogged;
    private boolean ending;
    private boolean lost;
    private boolean failed;
    private long dropped;

    HlsPackager(String name, MediaWindow window, HlsSettings settings, Executor executor, HlsObserver observer) {
        this.name = name;
        this.window = window;
        this.settings = settings;
        this.executor = executor;
        this.observer = observer;
        this.session = window.begin();
        this.segmenter = new CmafSegmenter(settings.segmentTarget().toMillis(), settings.partTarget().toMillis(),
                new CmafSegmenter.Output() {
                    @Override
                    public void init(byte[] init, TrackConfig tracks) {
                        window.init(session, init, tracks);
                    }

                    @Override
                    public void part(byte[] bytes, long startMs, long durationMs, int frames, boolean independent,
                                     boolean startsSegment) {
                        window.part(session, bytes, durationMs, frames, independent, startsSegment,
                                clock.epochMs(startMs));
                    }
                });
    }

    /** Queues a copy of one message; on a full queue drops it (counted). Called on the publisher's event loop. */
    void offer(int typeId, long timestampMs, byte[] payload, long arrivalEpochMs) {
        synchronized (queue) {
            if (ending || failed) {
                return;
            }
            if (queue.size() >= settings.queueMessages()) {
                dropped++;
                lost = true;
                observer.dropped(name);
                return;
            }
            queue.add(new Item(typeId, timestampMs, payload, arrivalEpochMs));
            schedule();
        }
    }

    /** The publisher left: what is queued is still packaged, then the muxer closes and the window ends. */
    void end() {
        synchronized (queue) {
            if (ending) {
                return;
            }
            ending = true;
            queue.add(new Item(END, 0, null, 0)); // past the bound: the end is never dropped
            schedule();
        }
    }

    private void schedule() {
        if (!scheduled) {
            scheduled = true;
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) { // shutting down: nobody will package any more
                scheduled = false;
                queue.clear();
            }
        }
    }

    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            Item item;
            boolean gap;
            synchronized (queue) {
                item = queue.poll();
                if (item == null) {
                    scheduled = false;
                    return;
                }
                gap = lost;
                lost = false;
            }
            process(item, gap);
        }
        synchronized (queue) {
            scheduled = false;
            if (!queue.isEmpty()) {
                schedule(); // yield: other streams' tasks run between our batches
            }
        }
    }

    private void process(Item item, boolean gap) {
        if (item.typeId() == END) {
            segmenter.close();
            window.end(session);
            return;
        }
        synchronized (queue) {
            if (failed) {
                return;
            }
        }
        try {
            if (gap) {
                segmenter.gap();
            }
            switch (item.typeId()) {
                case 18 -> clock.metadata(item.payload());
                case 9 -> {
                    clock.arrived(item.timestampMs(), item.arrivalEpochMs());
                    if (!clockLogged && item.payload().length > 1 && item.payload()[1] == 1) {
                        clockLogged = true;
                        // how long after its capture the first frame arrived: the publisher's delay, or a bad clock
                        LOG.infof("hls: stream=%s: dates from %s; the first frame arrived %d ms after its capture", name,
                                clock.fromMetadata() ? "the capture time in its metadata" : "its arrival",
                                item.arrivalEpochMs() - clock.epochMs(item.timestampMs()));
                    }
                    segmenter.video(item.timestampMs(), item.payload());
                }
                case 8 -> segmenter.audio(item.timestampMs(), item.payload());
                default -> { }
            }
        } catch (RuntimeException | LinkageError e) {
            // a publisher whose media FFmpeg refuses (or FFmpeg that does not load) loses its HLS until it publishes
            // again, nothing else
            LOG.warnf("hls: stream=%s: packaging stopped: %s", name, e.toString());
            synchronized (queue) {
                failed = true;
            }
            observer.failed(name);
            segmenter.close();
            window.end(session);
        }
    }

    long dropped() {
        synchronized (queue) {
            return dropped;
        }
    }

    int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }
}
