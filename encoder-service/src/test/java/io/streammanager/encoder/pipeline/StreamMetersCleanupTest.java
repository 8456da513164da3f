package io.streammanager.encoder.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streammanager.encoder.metrics.StreamMeters;

/**
 * Under stream churn every stream's meters must go with it: a meter left behind per stream is heap (and a
 * Prometheus series) that grows with every stream ever run. Lives beside the stats it reads, which it builds.
 */
class StreamMetersCleanupTest {

    @Test
    void aStoppedStreamLeavesNoMeterLabelledWithIt() {
        MeterRegistry registry = new SimpleMeterRegistry();
        int serviceWide = registry.getMeters().size();
        for (int stream = 0; stream < 20; stream++) {
            String id = "churn" + stream;
            StreamMeters meters = new StreamMeters(registry, new StreamStats(id, 0));
            meters.renditions(ladder());
            meters.renditions(ladder()); // a ladder reopened: the old renditions' meters are replaced, not added
            // 4 for the stream's frames, 6 for its sound (encoder_audio_*), 6 for each of the 3 renditions
            assertEquals(4 + 6 + 3 * 6, streamMeters(registry, id).size(), "meters of running stream " + id);
            meters.recordEncodeNanos(1_000_000);
            meters.close();
            assertTrue(streamMeters(registry, id).isEmpty(), "left after stop: " + streamMeters(registry, id));
        }
        // what stays is service-wide (encoder_selections_total by codec and encoder), not one per stream
        assertFalse(registry.getMeters().stream().anyMatch(m -> m.getId().getTag("stream") != null));
        assertEquals(serviceWide + 1, registry.getMeters().size(), "service-wide meters: " + registry.getMeters());
    }

    private static List<Meter> streamMeters(MeterRegistry registry, String streamId) {
        return registry.getMeters().stream().filter(m -> streamId.equals(m.getId().getTag("stream"))).toList();
    }

    private static List<RenditionStats> ladder() {
        return List.of(rendition(0, "hd", 1280, 720), rendition(1, "sd", 854, 480), rendition(2, "ld", 640, 360));
    }

    private static RenditionStats rendition(int index, String id, int width, int height) {
        return new RenditionStats(index, id, "h264", width, height, "libx264", List.of(), 1_000_000, 1_000_000,
                1_000_000);
    }
}
