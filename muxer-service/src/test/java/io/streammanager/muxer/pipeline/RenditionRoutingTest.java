package io.streammanager.muxer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammanager.bus.shm.RingFiles;
import io.streammanager.muxer.output.ConnectionStart;
import io.streammanager.muxer.output.Output;
import io.streammanager.muxer.output.OutputQueue;
import io.streammanager.muxer.output.OutputTarget;
import io.streammanager.muxer.output.PacketPool;
import io.streammanager.muxer.output.PacketSink;
import io.streammanager.muxer.output.RetryPolicy;
import io.streammanager.muxer.output.SharedPacket;
import io.streammanager.muxer.testing.Await;
import io.streammanager.muxer.testing.PacketRingFeeder;
import io.streammanager.muxer.testing.RecordingListener;
import io.streammanager.muxer.testing.SyntheticH264;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A packet ring holding two renditions: each output gets exactly its own rendition, starting at its own config. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RenditionRoutingTest {

    /** What one output's connections were given: the config each started with and the packet sizes it wrote. */
    private record Seen(List<Integer> startWidths, List<Integer> packetBytes) {
        Seen() {
            this(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        }
    }

    @Test
    void eachOutputGetsOnlyTheRenditionItAsksFor() throws Exception {
        SyntheticH264.Encoded main = SyntheticH264.encode(320, 240, 30, 60);
        SyntheticH264.Encoded low = SyntheticH264.encode(160, 120, 30, 60);
        Map<String, Seen> seen = new ConcurrentHashMap<>();
        PacketSink.Factory sinks = (OutputTarget target, ConnectionStart start, java.util.function.BooleanSupplier abort) -> {
            Seen log = seen.computeIfAbsent(target.id(), id -> new Seen());
            log.startWidths().add(start.video().width());
            return new PacketSink() {
                @Override
                public void write(SharedPacket packet, long ptsUs, long dtsUs) {
                    log.packetBytes().add(packet.size());
                }

                @Override
                public void finish() {
                }

                @Override
                public void close() {
                }
            };
        };
        RetryPolicy retry = new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(100), 0, () -> 1.0);
        RecordingListener listener = new RecordingListener();
        try (PacketRingFeeder feeder = PacketRingFeeder.startLadder("s1", main, low)) {
            List<Output> outputs = List.of(
                    new Output("s1", new OutputTarget("hd", "unused://hd", "flv", true, 0), new OutputQueue(120, 8 << 20),
                            sinks, retry, listener),
                    new Output("s1", new OutputTarget("sd", "unused://sd", "flv", true, 1), new OutputQueue(120, 8 << 20),
                            sinks, retry, listener));
            StreamPipeline pipeline = new StreamPipeline("s1", RingFiles.packetRing(feeder.shmRoot(), "s1"),
                    Duration.ofSeconds(5), outputs, new PacketPool(32));
            pipeline.start();
            try {
                assertTrue(Await.until(Duration.ofSeconds(20), () -> seen.containsKey("hd") && seen.containsKey("sd")
                        && seen.get("hd").packetBytes().size() >= 45 && seen.get("sd").packetBytes().size() >= 45),
                        "both outputs get packets: " + seen);
            } finally {
                pipeline.requestStop();
                assertTrue(pipeline.awaitStopped(Duration.ofSeconds(1)), "stopped within 1 s");
            }
        }
        assertEquals(List.of(320), seen.get("hd").startWidths().stream().distinct().toList());
        assertEquals(List.of(160), seen.get("sd").startWidths().stream().distinct().toList());
        List<Integer> mainSizes = main.packets().stream().map(p -> p.data().length).toList();
        List<Integer> lowSizes = low.packets().stream().map(p -> p.data().length).toList();
        assertTrue(mainSizes.containsAll(seen.get("hd").packetBytes()), "hd got only rendition 0's packets");
        assertTrue(lowSizes.containsAll(seen.get("sd").packetBytes()), "sd got only rendition 1's packets");
    }
}
