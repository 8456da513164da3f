package io.streammanager.gateway.hls;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One stream name's LL-HLS: its window of media and the packager of its current publisher (none between publishers).
 * Answers the media playlist, init, segment and part requests; those that must wait (blocking reload, the
 * preload-hinted part) answer later, on the packaging thread, through their callback, and hold no thread meanwhile.
 */
public final class HlsStream {

    /** A request waiting for media; {@link #cancel()} when it timed out or its client left. */
    public interface Pending {
        void cancel();
    }

    private static final Pending DONE = () -> { };

    private final String name;
    private final MediaWindow window;
    private final HlsSettings settings;
    private volatile HlsPackager packager;
    /** When the last publisher left ({@code System.nanoTime()}), or -1 while one publishes. */
    private volatile long idleSinceNs = -1;

    HlsStream(String name, HlsSettings settings) {
        this.name = name;
        this.settings = settings;
        this.window = new MediaWindow(settings.windowSegments(), settings.maxBytes(), settings.maxWaiting());
    }

    public String name() {
        return name;
    }

    MediaWindow window() {
        return window;
    }

    HlsPackager packager() {
        return packager;
    }

    void packager(HlsPackager next) {
        packager = next;
        idleSinceNs = next == null ? System.nanoTime() : -1;
    }

    long idleSinceNs() {
        return idleSinceNs;
    }

    /** Whether a player can start: an init segment and one complete segment. */
    boolean ready(MediaWindow.View view) {
        return view.segments().stream().anyMatch(MediaWindow.Segment::complete) && !view.tracks().isEmpty();
    }

    /**
     * The media playlist, at once or, with {@code _HLS_msn}/{@code _HLS_part}, once it holds what they name.
     * {@code reply} runs exactly once unless the returned {@link Pending} is cancelled first.
     */
    public Pending playlist(String msn, String part, String query, Consumer<HlsAnswer> reply) {
        BlockingReload reload;
        try {
            reload = BlockingReload.parse(msn, part);
        } catch (IllegalArgumentException e) {
            reply.accept(HlsAnswer.error(400, e.getMessage(), e.getMessage().startsWith("_HLS_part") ? "_HLS_part" : "_HLS_msn"));
            return DONE;
        }
        if (reload.tooFarAhead(window.view())) {
            reply.accept(HlsAnswer.error(400, "_HLS_msn " + reload.msn() + " is more than two segments past the playlist's "
                    + "last (" + window.view().openMsn() + ")", "_HLS_msn"));
            return DONE;
        }
        return await(view -> ready(view) && reload.ready(view), () -> {
            MediaWindow.View view = window.view();
            reply.accept(view.segments().isEmpty() ? HlsAnswer.error(404, "stream " + name + " has no HLS media", "name")
                    : HlsAnswer.playlist(MediaPlaylist.render(view, settings.segmentTarget().toMillis(),
                            settings.partTarget().toMillis(), query)));
        }, reply);
    }

    /** The init segment {@code version}. */
    public HlsAnswer init(int version) {
        return window.init(version).map(bytes -> HlsAnswer.media(HlsAnswer.MP4, List.of(bytes)))
                .orElseGet(() -> HlsAnswer.error(404, "no init segment " + version + " in stream " + name, "name"));
    }

    /** A complete segment (its parts, one after the other). */
    public HlsAnswer segment(long msn) {
        return window.segment(msn).map(parts -> HlsAnswer.media(HlsAnswer.SEGMENT,
                        parts.stream().map(MediaWindow.Part::bytes).toList()))
                .orElseGet(() -> HlsAnswer.error(404, "segment " + msn + " of stream " + name
                        + " is not in the window", "name"));
    }

    /** A part; the next one (the preload hint) is answered once it exists, a later or evicted one is a 404. */
    public Pending part(long index, Consumer<HlsAnswer> reply) {
        long next = window.view().nextPartIndex();
        if (index > next) {
            reply.accept(HlsAnswer.error(404, "part " + index + " of stream " + name + " is not hinted yet", "name"));
            return DONE;
        }
        return await(view -> view.nextPartIndex() > index, () -> reply.accept(window.part(index)
                .map(p -> HlsAnswer.media(HlsAnswer.SEGMENT, List.of(p.bytes())))
                .orElseGet(() -> HlsAnswer.error(404, "part " + index + " of stream " + name + " is not in the window",
                        "name"))), reply);
    }

    private Pending await(Predicate<MediaWindow.View> condition, Runnable answer,
                          Consumer<HlsAnswer> reply) {
        AtomicBoolean done = new AtomicBoolean();
        MediaWindow.Waiter waiter = new MediaWindow.Waiter() {
            @Override
            public boolean ready(MediaWindow.View view) {
                return condition.test(view);
            }

            @Override
            public void fire() {
                if (done.compareAndSet(false, true)) {
                    answer.run();
                }
            }
        };
        if (!window.await(waiter)) {
            reply.accept(HlsAnswer.error(503, "too many blocking requests on stream " + name, "name"));
            return DONE;
        }
        return () -> {
            if (done.compareAndSet(false, true)) {
                window.cancel(waiter);
            }
        };
    }

    /** Requests waiting for media right now. */
    public int waiting() {
        return window.waiting();
    }

    public long segmentsEvicted() {
        return window.evicted();
    }

    public long bytes() {
        return window.bytes();
    }

    /** The master playlist entry of this stream, once it is ready; empty before. */
    Optional<MasterPlaylist.Variant> variant() {
        MediaWindow.View view = window.view();
        if (!ready(view)) {
            return Optional.empty();
        }
        List<MediaWindow.Segment> complete = view.segments().stream().filter(MediaWindow.Segment::complete).toList();
        TrackConfig tracks = view.tracks().get(complete.getLast().initVersion());
        if (tracks == null) {
            return Optional.empty();
        }
        long peak = 0;
        long bytes = 0;
        long ms = 0;
        List<Double> partRates = new ArrayList<>();
        for (MediaWindow.Segment segment : complete) {
            long duration = Math.max(1, segment.durationMs());
            peak = Math.max(peak, segment.bytes() * 8000 / duration);
            bytes += segment.bytes();
            ms += duration;
            for (MediaWindow.Part part : segment.parts()) {
                if (part.durationMs() > 0 && part.frames() > 0) {
                    partRates.add(part.frames() * 1000.0 / part.durationMs());
                }
            }
        }
        // the median part's rate: a publisher's stall stretches one part, it does not lower the frame rate
        double frameRate = partRates.isEmpty() ? 0 : partRates.stream().sorted().toList().get(partRates.size() / 2);
        return Optional.of(new MasterPlaylist.Variant(name, peak, bytes * 8000 / Math.max(1, ms),
                tracks.video().width(), tracks.video().height(), frameRate, tracks));
    }
}
