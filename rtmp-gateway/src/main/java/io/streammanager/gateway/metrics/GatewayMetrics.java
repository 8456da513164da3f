package io.streammanager.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.streammanager.gateway.relay.LiveStream;
import io.streammanager.gateway.relay.RelayObserver;
import io.streammanager.gateway.rtmp.RtmpException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The gateway's meters. Prometheus names: {@code rtmp_connections_total}, {@code rtmp_active_streams},
 * {@code rtmp_bandwidth_bytes_total{direction=in|out}}, {@code rtmp_errors_total{category=...}},
 * {@code rtmp_stream_players{stream=...}}, {@code rtmp_player_dropped_messages_total{stream=...}},
 * {@code rtmp_auth_blocked_total}, {@code rtmp_publish_conflicts_total{outcome=rejected|taken_over}}, {@code rtmp_auth_limiter_evictions_total}, {@code rtmp_auth_limiter_tracked}. No label ever holds
 * a key.
 * per stream {@code rtmp_stream_players}, {@code rtmp_stream_publishers}, {@code rtmp_stream_bitrate_bps},
 * {@code rtmp_stream_bytes_in_total} and {@code rtmp_player_dropped_messages_total} (label {@code stream}, removed
 * when the stream closes, so churned names don't pile up),
 * {@code rtmp_auth_blocked_total}, {@code rtmp_auth_limiter_evictions_total}, {@code rtmp_auth_limiter_tracked},
 * {@code rtmp_enhanced_plays_total{outcome=signalled|unsignalled|refused}}. No label ever holds a key.
 */
@ApplicationScoped
public class GatewayMetrics implements RelayObserver {

    private final MeterRegistry registry;
    private final Counter connections;
    /**
     * Counted on every socket write (hundreds of players per media message), so a LongAdder that the registry reads
     * when scraped rather than a Counter increment per write.
     */
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final Counter authBlocked;
    /** Held here because Micrometer keeps only a weak reference to a function counter's object. */
    private volatile Supplier<Number> limiterEvictions;
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    /** Each open stream's own meters, registered when it opens and removed when it closes. */
    private final Map<String, List<Meter>> streamMeters = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.connections = Counter.builder("rtmp.connections").description("RTMP connections accepted").register(registry);
        bandwidth("in", bytesIn);
        bandwidth("out", bytesOut);
        this.authBlocked = Counter.builder("rtmp.auth.blocked")
                .description("Publish attempts refused without a key lookup because the source address failed too often")
                .register(registry);
        for (String outcome : new String[] {PUBLISH_REJECTED, PUBLISH_TAKEN_OVER}) {
            publishConflict(outcome);
        }
        for (RtmpException.Category category : RtmpException.Category.values()) {
            error(category.tag()); // export every category at 0
        }
    }

    private void bandwidth(String direction, LongAdder bytes) {
        FunctionCounter.builder("rtmp.bandwidth.bytes", bytes, LongAdder::doubleValue).description("RTMP bytes by direction")
                .tags("direction", direction).register(registry);
    }

    /** Registers the active streams gauge over whatever counts them. */
    public void activeStreams(Supplier<Number> count) {
        Gauge.builder("rtmp.active.streams", count).description("Streams with a publisher").register(registry);
    }

    public void connectionAccepted() {
        connections.increment();
    }

    public void bytesIn(long bytes) {
        bytesIn.add(bytes);
    }

    public void bytesOut(long bytes) {
        bytesOut.add(bytes);
    }

    public static final String PUBLISH_REJECTED = "rejected";
    public static final String PUBLISH_TAKEN_OVER = "taken_over";

    /** A publish met an existing publisher of the name: {@link #PUBLISH_REJECTED} or {@link #PUBLISH_TAKEN_OVER}. */
    public Counter publishConflict(String outcome) {
        return Counter.builder("rtmp.publish.conflicts").description("Publishes that met an existing publisher of the name")
                .tags("outcome", outcome).register(registry);
    }

    public void authBlocked() {
        authBlocked.increment();
    }

    /** Exports the failure limiter's evictions and table size. */
    public void authLimiter(Supplier<Number> evictions, Supplier<Number> trackedAddresses) {
        limiterEvictions = evictions;
        FunctionCounter.builder("rtmp.auth.limiter.evictions", evictions, s -> s.get().doubleValue())
                .description("Source addresses forgotten by the auth failure limiter because its table was full")
                .register(registry);
        Gauge.builder("rtmp.auth.limiter.tracked", trackedAddresses)
                .description("Source addresses the auth failure limiter remembers").register(registry);
    }

    public void error(RtmpException.Category category) {
        error(category.tag()).increment();
    }

    private Counter error(String category) {
        return errors.computeIfAbsent(category, c -> Counter.builder("rtmp.errors").description("RTMP errors by category")
                .tags("category", c).register(registry));
    }

    @Override
    public void streamOpened(LiveStream stream) {
        streamMeters.computeIfAbsent(stream.name(), name -> {
            Tags tags = Tags.of("stream", name);
            return List.of(
                    Gauge.builder("rtmp.stream.players", stream, LiveStream::playerCount)
                            .description("Players attached to a stream").tags(tags).register(registry),
                    Gauge.builder("rtmp.stream.publishers", stream, s -> s.hasPublisher() ? 1 : 0)
                            .description("Publishers of a stream (0 or 1)").tags(tags).register(registry),
                    Gauge.builder("rtmp.stream.bitrate.bps", stream, LiveStream::inboundBitsPerSecond)
                            .description("A stream's inbound bitrate over the last second, bits per second")
                            .tags(tags).register(registry),
                    FunctionCounter.builder("rtmp.stream.bytes.in", stream, LiveStream::bytesIn)
                            .description("Payload bytes received from a stream's publishers").tags(tags)
                            .register(registry),
                    droppedCounter(name));
        });
    }

    private Counter droppedCounter(String streamName) {
        return Counter.builder("rtmp.player.dropped.messages").description("Messages skipped for players that fell behind")
                .tags("stream", streamName).register(registry);
    }

    @Override
    public void streamClosed(LiveStream stream) {
        List<Meter> meters = streamMeters.remove(stream.name());
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }

    @Override
    public void playerDropped(String streamName, long messages) {
        droppedCounter(streamName).increment(messages);
    }

    /**
     * A player met an E-RTMP video stream: {@code signalled} (its connect listed the codec), {@code unsignalled} (it
     * listed nothing and was relayed anyway) or {@code refused}.
     */
    public void enhancedPlay(String outcome) {
        Counter.builder("rtmp.enhanced.plays").description("Players of Enhanced RTMP video streams by outcome")
                .tags("outcome", outcome).register(registry).increment();
    }
}
