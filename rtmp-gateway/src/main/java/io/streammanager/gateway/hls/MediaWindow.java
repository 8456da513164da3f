package io.streammanager.gateway.hls;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The sliding window of one stream's LL-HLS media: init segments, complete segments and the parts of the one being
 * built, bounded by a segment count and a byte bound (the oldest segments are evicted first, and counted). Parts are
 * named by a running index, so the preload hint names the next part before anyone knows whether it starts a segment.
 *
 * <p>One writer (the stream's packager task) and many readers (the playback event loops): every access takes this
 * object's lock, which is held only to copy references or render a playlist. Requests that wait for media (blocking
 * playlist reload, preload hints) register a {@link Waiter}, run outside the lock once its condition holds.
 */
final class MediaWindow {

    record Part(long index, long durationMs, int frames, boolean independent, byte[] bytes) {
    }

    /** A segment: complete once the next one started (or the publisher left). */
    record Segment(long msn, long pdtEpochMs, int initVersion, boolean discontinuity, List<Part> parts, boolean complete) {

        long durationMs() {
            return parts.stream().mapToLong(Part::durationMs).sum();
        }

        long bytes() {
            return parts.stream().mapToLong(p -> p.bytes().length).sum();
        }

        int frames() {
            return parts.stream().mapToInt(Part::frames).sum();
        }
    }

    /** What a playlist shows: complete segments and the current one's parts, in order, and the next part's index. */
    record View(List<Segment> segments, long nextPartIndex, Map<Integer, TrackConfig> tracks, long maxPartMs,
                long maxSegmentMs, long discontinuitySequence, boolean ended) {

        Optional<Segment> current() {
            return segments.isEmpty() || segments.getLast().complete() ? Optional.empty() : Optional.of(segments.getLast());
        }

        /** The msn the next complete segment gets (the current one's, or the one after the last complete). */
        long openMsn() {
            return segments.isEmpty() ? 0 : segments.getLast().complete() ? segments.getLast().msn() + 1
                    : segments.getLast().msn();
        }

        int openParts() {
            return current().map(s -> s.parts().size()).orElse(0);
        }
    }

    /** A request waiting for media; {@link #fire()} runs once, outside the window's lock. */
    interface Waiter {
        boolean ready(View view);

        void fire();
    }

    private final int maxSegments;
    private final long maxBytes;
    private final int maxWaiters;
    private final ArrayDeque<Segment> complete = new ArrayDeque<>();
    private final Map<Integer, byte[]> inits = new HashMap<>();
    private final Map<Integer, TrackConfig> tracks = new HashMap<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private Segment open;
    private List<Part> openParts = new ArrayList<>();
    private int initVersion;
    private boolean discontinuity;
    private long nextMsn;
    private long nextPartIndex;
    private long bytes;
    private long evicted;
    private long discontinuitySequence;
    private long maxPartMs;
    private long maxSegmentMs;
    private boolean ended;
    private long session;

    MediaWindow(int maxSegments, long maxBytes, int maxWaiters) {
        this.maxSegments = Math.max(2, maxSegments);
        this.maxBytes = maxBytes;
        this.maxWaiters = maxWaiters;
    }

    /** A new init segment: the segments after it refer to it, and are marked discontinuous after the first. */
    void init(byte[] init, TrackConfig config) {
        init(session, init, config);
    }

    /** {@link #init(byte[], TrackConfig)} from publisher session {@code from}; ignored once a newer session began. */
    void init(long from, byte[] init, TrackConfig config) {
        List<Waiter> fire;
        synchronized (this) {
            if (from != session) {
                return;
            }
            closeOpen();
            discontinuity = initVersion > 0;
            initVersion++;
            inits.put(initVersion, init);
            tracks.put(initVersion, config);
            bytes += init.length;
            ended = false;
            fire = readyWaiters();
        }
        fire.forEach(Waiter::fire);
    }

    /** Appends a part; {@code startsSegment} ends the open segment first. {@code pdtEpochMs}: wall time of its start. */
    void part(byte[] data, long durationMs, int frames, boolean independent, boolean startsSegment, long pdtEpochMs) {
        part(session, data, durationMs, frames, independent, startsSegment, pdtEpochMs);
    }

    /** {@link #part(byte[], long, int, boolean, boolean, long)} from publisher session {@code from}; stale ones are ignored. */
    void part(long from, byte[] data, long durationMs, int frames, boolean independent, boolean startsSegment,
              long pdtEpochMs) {
        List<Waiter> fire;
        synchronized (this) {
            if (from != session || initVersion == 0) {
                return;
            }
            if (open != null && bytes + data.length > maxBytes && complete.isEmpty()) {
                closeOpen(); // one segment outgrew the whole bound (no keyframe for too long): it goes, media goes on
            }
            if (startsSegment || open == null) {
                closeOpen();
                openParts = new ArrayList<>();
                open = new Segment(nextMsn++, pdtEpochMs, initVersion, discontinuity, openParts, false);
                discontinuity = false;
            }
            openParts.add(new Part(nextPartIndex++, durationMs, frames, independent, data));
            bytes += data.length;
            maxPartMs = Math.max(maxPartMs, durationMs);
            evict();
            fire = readyWaiters();
        }
        fire.forEach(Waiter::fire);
    }

    /** A publisher session starts; returns its number, which {@link #end(long)} must name. */
    synchronized long begin() {
        ended = false;
        return ++session;
    }

    /**
     * Publisher session {@code ending} left: the open segment is complete, waiters are answered (with what there is).
     * An older session's end, processed after a newer session began (a takeover), changes nothing.
     */
    void end(long ending) {
        List<Waiter> fire;
        synchronized (this) {
            if (ending != session) {
                return;
            }
            closeOpen();
            ended = true;
            fire = List.copyOf(waiters);
            waiters.clear();
        }
        fire.forEach(Waiter::fire);
    }

    synchronized boolean ended() {
        return ended;
    }

    private void closeOpen() {
        if (open == null) {
            return;
        }
        Segment done = new Segment(open.msn(), open.pdtEpochMs(), open.initVersion(), open.discontinuity(),
                List.copyOf(openParts), true);
        complete.add(done);
        maxSegmentMs = Math.max(maxSegmentMs, done.durationMs());
        open = null;
        openParts = new ArrayList<>();
        evict();
    }

    /** Drops the oldest complete segments beyond the count or byte bound, and the init segments none refers to. */
    private void evict() {
        while (!complete.isEmpty() && (complete.size() > maxSegments || bytes > maxBytes)) {
            Segment gone = complete.removeFirst();
            bytes -= gone.bytes();
            evicted++;
            if (!complete.isEmpty() && complete.getFirst().discontinuity()) {
                discontinuitySequence++; // RFC 8216 EXT-X-DISCONTINUITY-SEQUENCE counts the ones that left the window
            }
        }
        int oldest = complete.isEmpty() ? open == null ? initVersion : open.initVersion() : complete.getFirst().initVersion();
        for (Iterator<Integer> it = inits.keySet().iterator(); it.hasNext(); ) {
            int version = it.next();
            if (version < oldest) {
                bytes -= inits.get(version).length;
                it.remove();
                tracks.remove(version);
            }
        }
    }

    synchronized View view() {
        List<Segment> segments = new ArrayList<>(complete);
        if (open != null) {
            segments.add(new Segment(open.msn(), open.pdtEpochMs(), open.initVersion(), open.discontinuity(),
                    List.copyOf(openParts), false));
        }
        return new View(segments, nextPartIndex, Map.copyOf(tracks), maxPartMs, maxSegmentMs, discontinuitySequence,
                ended);
    }

    synchronized Optional<byte[]> init(int version) {
        return Optional.ofNullable(inits.get(version));
    }

    /** The track configuration of the newest init segment, or empty before the first. */
    synchronized Optional<TrackConfig> tracks() {
        return Optional.ofNullable(tracks.get(initVersion));
    }

    /** A complete segment's parts, or empty when evicted or not complete. */
    synchronized Optional<List<Part>> segment(long msn) {
        return complete.stream().filter(s -> s.msn() == msn).findFirst().map(Segment::parts);
    }

    synchronized Optional<Part> part(long index) {
        if (open != null) {
            for (Part part : openParts) {
                if (part.index() == index) {
                    return Optional.of(part);
                }
            }
        }
        for (Segment segment : complete) {
            for (Part part : segment.parts()) {
                if (part.index() == index) {
                    return Optional.of(part);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code waiter} when its condition holds (at once if it already does, on this thread). Returns false when
     * the stream has as many waiting requests as allowed: the caller answers 503.
     */
    boolean await(Waiter waiter) {
        synchronized (this) {
            if (!ended && !waiter.ready(view())) {
                if (waiters.size() >= maxWaiters) {
                    return false;
                }
                waiters.add(waiter);
                return true;
            }
        }
        waiter.fire();
        return true;
    }

    /** Forgets a waiter that timed out or whose client left. */
    synchronized void cancel(Waiter waiter) {
        waiters.remove(waiter);
    }

    synchronized int waiting() {
        return waiters.size();
    }

    private List<Waiter> readyWaiters() {
        if (waiters.isEmpty()) {
            return List.of();
        }
        View view = view();
        List<Waiter> ready = new ArrayList<>();
        waiters.removeIf(((Predicate<Waiter>) w -> w.ready(view)).and(ready::add));
        return ready;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized long evicted() {
        return evicted;
    }
}
