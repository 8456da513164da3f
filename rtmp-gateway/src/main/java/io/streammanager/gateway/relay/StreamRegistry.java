package io.streammanager.gateway.relay;

import io.netty.buffer.ByteBufAllocator;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live streams by name. A stream exists while it has a publisher or players; attaching and removing happen inside
 * the map's per-key lock so a stream is never dropped while someone joins it.
 */
public final class StreamRegistry {

    private final ConcurrentHashMap<String, LiveStream> streams = new ConcurrentHashMap<>();
    private final RelaySettings settings;
    private final ByteBufAllocator alloc;
    private final RelayObserver observer;
    private final MediaTap tap;

    public StreamRegistry(RelaySettings settings, ByteBufAllocator alloc, RelayObserver observer) {
        this(settings, alloc, observer, MediaTap.NONE);
    }

    /** {@code tap} sees every publisher's media as received (the LL-HLS packaging). */
    public StreamRegistry(RelaySettings settings, ByteBufAllocator alloc, RelayObserver observer, MediaTap tap) {
        this.settings = settings;
        this.alloc = alloc;
        this.observer = observer;
        this.tap = tap;
    }

    /** Makes {@code publisher} the stream's publisher; empty if another one already publishes that name. */
    public Optional<LiveStream> attachPublisher(String name, PublisherHandle publisher, String streamId) {
        return attachPublisher(name, publisher, streamId, false).map(LiveStream.Attached::stream);
    }

    /**
     * Makes {@code publisher} the stream's publisher. If another one publishes that name: empty, or with
     * {@code takeOver} the old one is displaced (named in the result; the caller tells and closes it).
     */
    public Optional<LiveStream.Attached> attachPublisher(String name, PublisherHandle publisher, String streamId,
                                                         boolean takeOver) {
        LiveStream.Attached[] attached = new LiveStream.Attached[1];
        streams.compute(name, (key, stream) -> {
            LiveStream target = stream != null ? stream : open(key);
            attached[0] = target.attachPublisher(publisher, streamId, takeOver);
            return target;
        });
        return Optional.ofNullable(attached[0]);
    }

    /** Adds a player, which waits for a publisher if there is none yet. */
    public LiveStream attachPlayer(String name, PlayerSink player) {
        return streams.compute(name, (key, stream) -> {
            LiveStream target = stream != null ? stream : open(key);
            target.addPlayer(player);
            return target;
        });
    }

    /** Forgets {@code stream} if nobody publishes or plays it any more. */
    public void removeIfIdle(LiveStream stream) {
        boolean[] removed = new boolean[1];
        streams.computeIfPresent(stream.name(), (key, current) -> {
            if (current == stream && current.idle()) {
                current.clearCaches();
                removed[0] = true;
                return null;
            }
            return current;
        });
        if (removed[0]) {
            observer.streamClosed(stream);
        }
    }

    private LiveStream open(String name) {
        LiveStream stream = new LiveStream(name, settings, alloc, observer, tap);
        observer.streamOpened(stream);
        return stream;
    }

    public Optional<LiveStream> find(String name) {
        return Optional.ofNullable(streams.get(name));
    }

    public Collection<LiveStream> streams() {
        return List.copyOf(streams.values());
    }

    /** Streams that currently have a publisher. */
    public int activeStreams() {
        return (int) streams.values().stream().filter(LiveStream::hasPublisher).count();
    }
}
