package io.streammanager.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streammanager.gateway.hls.HlsObserver;
import io.streammanager.gateway.hls.HlsStream;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * LL-HLS meters, labelled by stream name (never by key or token) and removed when the stream's HLS closes:
 * {@code hls_playlists_served_total}, {@code hls_parts_served_total}, {@code hls_segments_served_total},
 * {@code hls_blocking_requests_waiting}, {@code hls_segments_evicted_total}, {@code hls_window_bytes},
 * {@code hls_dropped_messages_total} and {@code hls_packaging_failures_total}.
 */
@ApplicationScoped
public class HlsMetrics implements HlsObserver {

    private final MeterRegistry registry;
    private final Map<String, List<Meter>> streamMeters = new ConcurrentHashMap<>();

    public HlsMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void streamOpened(String stream, HlsStream view) {
        streamMeters.computeIfAbsent(stream, name -> List.of(
                Gauge.builder("hls.blocking.requests.waiting", view, HlsStream::waiting)
                        .description("Blocking playlist reloads and preload-hint requests waiting for media")
                        .tag("stream", name).register(registry),
                FunctionCounter.builder("hls.segments.evicted", view, HlsStream::segmentsEvicted)
                        .description("Segments that left a stream's sliding window").tag("stream", name).register(registry),
                Gauge.builder("hls.window.bytes", view, HlsStream::bytes)
                        .description("Bytes held in a stream's LL-HLS window").tag("stream", name).register(registry),
                counter("hls.playlists.served", "Media and master playlists answered", name),
                counter("hls.parts.served", "LL-HLS parts answered", name),
                counter("hls.segments.served", "Complete segments answered", name),
                counter("hls.dropped.messages", "Messages dropped because the packaging queue was full", name),
                counter("hls.packaging.failures", "Publisher sessions whose HLS packaging failed", name)));
    }

    private Counter counter(String meter, String description, String stream) {
        return Counter.builder(meter).description(description).tag("stream", stream).register(registry);
    }

    @Override
    public void streamClosed(String stream) {
        List<Meter> meters = streamMeters.remove(stream);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }

    @Override
    public void dropped(String stream) {
        served("hls.dropped.messages", "Messages dropped because the packaging queue was full", stream);
    }

    @Override
    public void failed(String stream) {
        served("hls.packaging.failures", "Publisher sessions whose HLS packaging failed", stream);
    }

    public void playlistServed(String stream) {
        served("hls.playlists.served", "Media and master playlists answered", stream);
    }

    public void partServed(String stream) {
        served("hls.parts.served", "LL-HLS parts answered", stream);
    }

    public void segmentServed(String stream) {
        served("hls.segments.served", "Complete segments answered", stream);
    }

    /** Counts only for streams whose HLS is open, so a 404 for a made-up name leaves no meter behind. */
    private void served(String meter, String description, String stream) {
        if (streamMeters.containsKey(stream)) {
            counter(meter, description, stream).increment();
        }
    }
}
