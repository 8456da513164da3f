package io.streammanager.system;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PromQlTest {

    @Test
    void metricsAreTheSelectedSeriesNotFunctionsKeywordsLabelsOrDurations() {
        assertEquals(List.of("composition_frame_time_seconds_bucket"), PromQl.metrics(
                "histogram_quantile(0.95, sum by (le, stream) (rate(composition_frame_time_seconds_bucket[5m])))"));
        assertEquals(List.of("composition_late_frames_total", "composition_dropped_frames_total"), PromQl.metrics(
                "sum by (stream) (rate(composition_late_frames_total[5m])) + sum by (stream) (rate(composition_dropped_frames_total[5m]))"));
        assertEquals(List.of("muxer_pipeline_latency_seconds"), PromQl.metrics("muxer_pipeline_latency_seconds{quantile=\"0.99\"} > 0.5"));
        assertEquals(List.of("kube_a", "kube_b"), PromQl.metrics("kube_a{deployment=~\"x|y\"}\n  < kube_b{deployment=~\"x\"}"));
        assertEquals(List.of("rtmp_bandwidth_bytes_total"), PromQl.metrics("sum by (direction) (rate(rtmp_bandwidth_bytes_total[1m])) * 8"));
    }

    @Test
    void labelsComeFromSelectorsAndGroupings() {
        assertEquals(Set.of("le", "stream"), PromQl.labels("histogram_quantile(0.95, sum by (le, stream) (rate(x_bucket[5m])))"));
        assertEquals(Set.of("quantile"), PromQl.labels("muxer_pipeline_latency_seconds{quantile=~\"0.5|0.99\"}"));
        assertEquals(Set.of("app_kubernetes_io_part_of"), PromQl.labels("up{app_kubernetes_io_part_of=\"stream-manager\"} == 0"));
    }

    @Test
    void expositionGivesEverySeriesNameWithItsLabelNames() {
        Map<String, Set<String>> series = PromQl.exposition("""
                # HELP rtmp_stream_players Players
                # TYPE rtmp_stream_players gauge
                rtmp_stream_players{stream="demo"} 1.0
                composition_frame_time_seconds_bucket{stream="a",le="0.005"} 3.0
                composition_frame_time_seconds_count{stream="a"} 3.0
                process_uptime_seconds 12.5
                weird_total{text="a=\\"b\\", c"} 1
                """);
        assertEquals(Map.of("rtmp_stream_players", Set.of("stream"),
                "composition_frame_time_seconds_bucket", Set.of("stream", "le"),
                "composition_frame_time_seconds_count", Set.of("stream"),
                "process_uptime_seconds", Set.of(),
                "weird_total", Set.of("text")), series);
    }
}
