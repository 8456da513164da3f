package io.streammanager.gateway.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streammanager.gateway.rtmp.message.MediaPayloads;
import io.streammanager.gateway.rtmp.message.MessageType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stream name: at most one publisher, any number of players, and what a new player needs to start (metadata,
 * video and audio sequence headers, legacy or Enhanced RTMP, the E-RTMP video metadata, the GOP cache). Each media message is chunked once and shared by all players.
 * Thread-safe: the publisher's loop, players' loops and control threads all go through this lock, and nothing
 * under it blocks (socket writes only queue).
 */
public final class LiveStream {

    private final String name;
    private final RelaySettings settings;
    private final ByteBufAllocator alloc;
    private final RelayObserver observer;
    private final MediaTap tap;
    private final GopCache gop;
    private final Map<String, PlayerFeed> players = new LinkedHashMap<>();
    private PublisherHandle publisher;
    private String streamId;
    private SharedMessage metadata;
    private SharedMessage videoConfig;
    /** The last E-RTMP video Metadata packet (colorInfo), sent to a new player after the sequence start. */
    private SharedMessage videoInfo;
    private SharedMessage audioConfig;
    private boolean hasVideo;
    /** Bumped on every publisher attach, so a player's reconnect-grace timer can tell whether anyone came back. */
    private long publishGeneration;
    /** The last timestamp sent to players (after rebasing), or -1 before anything was sent. */
    private long lastTimestamp = -1;
    /** Set when a publisher replaces another (reconnect or takeover): its first message fixes {@link #timestampOffset}. */
    private boolean rebase;
    private long timestampOffset;
    private long publisherLeftNs;
    /** Media and data bytes received from publishers since the stream opened, and their recent rate. */
    private long bytesIn;
    private final RateMeter inRate = new RateMeter();
    /** FourCC of the cached E-RTMP video sequence start; null for legacy FLV video or none yet. */
    private String videoCodec;
    /** When players' sockets were last flushed by a relayed message; audio held unflushed counts from here. */
    private long lastFlushNs;
    private final long audioHoldNs;

    LiveStream(String name, RelaySettings settings, ByteBufAllocator alloc, RelayObserver observer) {
        this(name, settings, alloc, observer, MediaTap.NONE);
    }

    LiveStream(String name, RelaySettings settings, ByteBufAllocator alloc, RelayObserver observer, MediaTap tap) {
        this.name = name;
        this.tap = tap;
        this.settings = settings;
        this.alloc = alloc;
        this.observer = observer;
        this.gop = new GopCache(settings.gopCacheBytes());
        this.audioHoldNs = settings.audioHold().toNanos();
    }

    public String name() {
        return name;
    }

    /** The control plane's stream id from the publisher's key, or null. */
    public synchronized String streamId() {
        return streamId;
    }

    /**
     * Makes {@code handle} the publisher. With another publisher present, refuses (returns null) unless
     * {@code takeOver}, in which case the old one is displaced and returned so the caller can tell it; players stay
     * and continue at the new publisher's next keyframe.
     */
    synchronized Attached attachPublisher(PublisherHandle handle, String streamId, boolean takeOver) {
        PublisherHandle displaced = publisher;
        if (displaced != null && !takeOver) {
            return null;
        }
        if (displaced != null) {
            dropPublisher(); // the old publisher's sequence headers and GOP do not describe the new one's stream
        }
        publisher = handle;
        this.streamId = streamId;
        publishGeneration++;
        rebase = lastTimestamp >= 0;
        players.values().forEach(PlayerFeed::restart);
        tap.publisherStarted(name);
        return new Attached(this, displaced);
    }

    /** A successful attach: the stream, and the publisher it displaced (takeover) or null. */
    public record Attached(LiveStream stream, PublisherHandle displaced) {
    }

    /** Changes with every publisher attach: equal values mean nobody published in between. */
    public synchronized long publishGeneration() {
        return publishGeneration;
    }

    /** Detaches {@code handle} if it is the publisher; players stay and hear that the publisher left. */
    public void detachPublisher(PublisherHandle handle) {
        List<PlayerFeed> feeds;
        List<PlayerFeed> holding;
        synchronized (this) {
            if (publisher != handle) {
                return;
            }
            dropPublisher();
            feeds = List.copyOf(players.values());
            holding = feeds.stream().filter(PlayerFeed::flushed).toList(); // audio held for a video that will not come
        }
        holding.forEach(feed -> feed.sink().flush());
        feeds.forEach(feed -> feed.sink().publisherLeft());
    }

    /** Forgets the publisher and what described its stream; the time it left starts the reconnect rebase. */
    private void dropPublisher() {
        publisher = null;
        tap.publisherStopped(name);
        publisherLeftNs = System.nanoTime();
        clearCaches();
    }

    /**
     * Relays one message from the publisher; takes ownership of {@code payload}. Decisions are made under this
     * stream's lock, sends after it: a sink may take its socket's lock, and a socket's handlers may call back here,
     * so holding both in different orders on two event loops would deadlock.
     */
    public void publish(PublisherHandle from, int typeId, long timestamp, ByteBuf payload, boolean isMetadata) {
        List<PlayerFeed> sendTo;
        List<PlayerFeed> disconnect = new ArrayList<>();
        List<PlayerFeed> refuse = new ArrayList<>();
        List<PlayerFeed> flushOnly = new ArrayList<>();
        SharedMessage message;
        String codec;
        boolean flush;
        try {
            synchronized (this) {
                if (publisher != from) {
                    return;
                }
                sendTo = new ArrayList<>(players.size()); // sized once: growing it was 4% of the relay's samples
                long now = System.nanoTime();
                flush = typeId != MessageType.AUDIO || !hasVideo || now - lastFlushNs >= audioHoldNs;
                if (flush) {
                    lastFlushNs = now;
                }
                message = relay(typeId, timestamp, payload, isMetadata, now, flush, sendTo, disconnect, refuse, flushOnly);
                codec = videoCodec;
            }
        } finally {
            payload.release();
        }
        try {
            for (PlayerFeed feed : sendTo) {
                feed.sink().send(message, flush);
            }
            flushOnly.forEach(feed -> feed.sink().flush());
            disconnect.forEach(feed -> feed.sink().disconnect(feed.disconnectReason()));
            refuse.forEach(feed -> feed.sink().codecRefused(codec));
        } finally {
            message.release();
        }
    }

    /** Caches and fans out under the lock; returns the encoded message with one reference for the caller. */
    private SharedMessage relay(int typeId, long timestamp, ByteBuf payload, boolean isMetadata, long now, boolean flush,
                                List<PlayerFeed> sendTo, List<PlayerFeed> disconnect, List<PlayerFeed> refuse,
                                List<PlayerFeed> flushOnly) {
        bytesIn += payload.readableBytes();
        inRate.observe(now, payload.readableBytes());
        tap.media(name, typeId, timestamp, payload);
        timestamp = rebased(timestamp);
        boolean video = typeId == MessageType.VIDEO;
        boolean videoMetadata = video && MediaPayloads.isVideoMetadata(payload);
        boolean config = isMetadata || videoMetadata
                || video && MediaPayloads.isVideoSequenceHeader(payload)
                || typeId == MessageType.AUDIO && MediaPayloads.isAudioSequenceHeader(payload);
        hasVideo |= video;
        boolean keyframe = video ? MediaPayloads.isVideoKeyframe(payload) && !config : !hasVideo && typeId == MessageType.AUDIO;
        SharedMessage message = SharedMessage.encode(alloc, typeId, timestamp, payload, settings.outChunkSize(), keyframe, config);
        if (isMetadata) {
            metadata = replace(metadata, message);
        } else if (videoMetadata) {
            videoInfo = replace(videoInfo, message);
        } else if (config && video) {
            videoConfig = replace(videoConfig, message);
            if (videoInfo != null) { // belongs to the previous sequence; the publisher sends it again after the new one
                videoInfo.release();
                videoInfo = null;
            }
            videoCodec(MediaPayloads.enhancedVideoFourCc(payload), refuse);
        } else if (config) {
            audioConfig = replace(audioConfig, message);
        } else {
            gop.add(message);
        }
        fanOut(message, now, flush, sendTo, disconnect, flushOnly);
        return message;
    }

    /**
     * A publisher that replaces another (reconnect, takeover) starts its clock anew; players that stayed would see
     * time jump back. Its timestamps are shifted to continue from the last one sent, plus the wall-clock gap.
     */
    private long rebased(long timestamp) {
        if (rebase) {
            rebase = false;
            long gapMs = Math.max(1, (System.nanoTime() - publisherLeftNs) / 1_000_000);
            timestampOffset = lastTimestamp + gapMs - timestamp;
        }
        long out = Math.max(0, timestamp + timestampOffset);
        lastTimestamp = Math.max(lastTimestamp, out);
        return out;
    }

    /** A new video codec: players that did not accept it leave before they get any of it. */
    private void videoCodec(String codec, List<PlayerFeed> refuse) {
        videoCodec = codec;
        if (codec == null) {
            return;
        }
        for (PlayerFeed feed : new ArrayList<>(players.values())) {
            if (!feed.sink().acceptsVideoCodec(codec)) {
                removeFeed(feed.sink().id());
                refuse.add(feed);
            }
        }
    }

    /** The FourCC of the stream's E-RTMP video ("hvc1", "av01", "vp09"...), or null for legacy FLV video or none yet. */
    public synchronized String videoCodec() {
        return videoCodec;
    }

    private static SharedMessage replace(SharedMessage old, SharedMessage next) {
        if (old != null) {
            old.release();
        }
        return next.retain();
    }

    private void fanOut(SharedMessage message, long now, boolean flush, List<PlayerFeed> sendTo,
                        List<PlayerFeed> disconnect, List<PlayerFeed> flushOnly) {
        // iterated in place, not copied per message: a player that must go is removed through the iterator
        for (var it = players.values().iterator(); it.hasNext(); ) {
            PlayerFeed feed = it.next();
            long droppedBefore = feed.dropped();
            switch (feed.offer(message, now)) {
                case SEND -> {
                    sendTo.add(feed);
                    feed.queued(flush);
                }
                case DISCONNECT -> {
                    it.remove();
                    disconnect.add(feed);
                }
                case SKIP -> {
                    if (flush && feed.flushed()) { // audio it was sent stays held no longer than anyone else's
                        flushOnly.add(feed);
                    }
                }
            }
            if (feed.dropped() > droppedBefore) {
                observer.playerDropped(name, feed.dropped() - droppedBefore);
            }
        }
    }

    /**
     * Adds a player and sends it metadata, sequence headers and the GOP cache, so it starts at a keyframe. A player
     * that does not accept the stream's E-RTMP video codec is not added but told {@link PlayerSink#codecRefused}.
     */
    synchronized void addPlayer(PlayerSink sink) {
        if (videoCodec != null && !sink.acceptsVideoCodec(videoCodec)) {
            sink.codecRefused(videoCodec);
            return;
        }
        PlayerFeed feed = new PlayerFeed(sink, settings.maxPlayerBehind().toNanos());
        players.put(sink.id(), feed);
        long now = System.nanoTime();
        // sent under the lock so the cache reaches the player before any newer message (see publish), in one batch
        List<SharedMessage> start = new ArrayList<>();
        for (SharedMessage cached : new SharedMessage[] {metadata, videoConfig, videoInfo, audioConfig}) {
            if (cached != null && feed.offer(cached, now) == PlayerFeed.Verdict.SEND) {
                start.add(cached);
            }
        }
        for (SharedMessage message : gop.messages()) {
            if (feed.offer(message, now) == PlayerFeed.Verdict.SEND) {
                start.add(message);
            }
        }
        sink.sendAll(start);
    }

    public synchronized void removePlayer(String playerId) {
        removeFeed(playerId);
    }

    private void removeFeed(String playerId) {
        players.remove(playerId);
    }

    /**
     * Ends the stream for its publisher and every player (StopStream): all are detached first, then told, so none of
     * them is relayed anything more; each ends its own part (a connection running other streams keeps them).
     */
    public void stopAll(String reason) {
        PublisherHandle stoppedPublisher;
        List<PlayerFeed> stoppedPlayers;
        synchronized (this) {
            stoppedPublisher = publisher;
            stoppedPlayers = List.copyOf(players.values());
            if (publisher != null) {
                dropPublisher();
            }
            players.clear();
        }
        if (stoppedPublisher != null) {
            stoppedPublisher.streamStopped(reason);
        }
        stoppedPlayers.forEach(feed -> feed.sink().streamStopped(reason));
    }

    public synchronized boolean hasPublisher() {
        return publisher != null;
    }

    public synchronized int playerCount() {
        return players.size();
    }

    /** Payload bytes received from this stream's publishers so far (a reconnecting publisher adds to it). */
    public synchronized long bytesIn() {
        return bytesIn;
    }

    /** The publisher's inbound rate over the last second, 0 without a publisher sending. */
    public synchronized double inboundBitsPerSecond() {
        return publisher == null ? 0 : inRate.bitsPerSecond(System.nanoTime());
    }

    synchronized boolean idle() {
        return publisher == null && players.isEmpty();
    }

    synchronized long gopBytes() {
        return gop.bytes();
    }

    synchronized void clearCaches() {
        gop.clear();
        for (SharedMessage cached : new SharedMessage[] {metadata, videoConfig, videoInfo, audioConfig}) {
            if (cached != null) {
                cached.release();
            }
        }
        metadata = videoConfig = videoInfo = audioConfig = null;
        hasVideo = false;
        videoCodec = null;
    }
}
