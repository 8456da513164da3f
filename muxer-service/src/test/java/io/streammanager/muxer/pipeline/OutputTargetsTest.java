package io.streammanager.muxer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammanager.bus.control.spec.OutputSpec;
import io.streammanager.bus.control.spec.RetrySpec;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.VideoSpec;
import io.streammanager.muxer.output.OutputTarget;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputTargetsTest {
    private static StreamSpec spec(List<OutputSpec> outputs, String key) {
        return new StreamSpec("id-1", "demo", new VideoSpec(320, 240, 30), null, null, outputs, key, 1, 1);
    }

    @Test
    void theGatewayComesFirstWithTheStreamNameAndItsKey() {
        List<OutputTarget> targets = OutputTargets.of(spec(List.of(), "a+b/c"), "rtmp://127.0.0.1:1935/live/");
        assertEquals(1, targets.size());
        OutputTarget gateway = targets.getFirst();
        assertEquals("gateway", gateway.id());
        assertTrue(gateway.gateway());
        assertEquals("rtmp://127.0.0.1:1935/live/demo?key=a%2Bb%2Fc", gateway.url());
        assertEquals("flv", gateway.format());
    }

    @Test
    void specOutputsFollowWithUniqueIdsAndDefaultOutputsLast() {
        List<OutputTarget> targets = OutputTargets.of(spec(List.of(new OutputSpec("yt", "rtmp://a/live/k1"),
                        new OutputSpec(null, "rtmp://b/live/k2"), new OutputSpec("yt", "rtmp://c/live/k3"),
                        new OutputSpec("gateway", "/tmp/x.flv")), "k"),
                "rtmp://127.0.0.1:1935/live", List.of("/rec/{name}-{id}.flv"));
        assertEquals(List.of("gateway", "yt", "output-2", "yt-3", "gateway-4", "default-1"),
                targets.stream().map(OutputTarget::id).toList());
        assertEquals("/rec/demo-id-1.flv", targets.getLast().url());
        assertTrue(targets.stream().skip(1).noneMatch(OutputTarget::gateway));
    }

    @Test
    void plansCarryEachOutputsRetryPolicyAndEnabledFlag() {
        RetrySpec retry = new RetrySpec(2, 500L, null);
        List<OutputPlan> plans = OutputTargets.plans(spec(List.of(new OutputSpec("yt", "rtmp://a/live/k1", false,
                retry), new OutputSpec("tw", "rtmp://b/live/k2")), "k"), "rtmp://127.0.0.1:1935/live", List.of());
        assertEquals(List.of(true, false, true), plans.stream().map(OutputPlan::enabled).toList());
        assertEquals(retry, plans.get(1).retry());
        assertNull(plans.get(0).retry(), "the gateway output keeps the configured policy");
        assertNull(plans.get(2).retry());
    }

    @Test
    void everyRenditionIsPublishedToTheGatewayUnderItsOwnNameAndOutputsPickTheirs() {
        io.streammanager.bus.control.spec.EncoderSpec ladder = new io.streammanager.bus.control.spec.EncoderSpec(
                "h264", null, null, 0, 0, List.of(
                new io.streammanager.bus.control.spec.RenditionSpec("hd", 1280, 720, 2500),
                new io.streammanager.bus.control.spec.RenditionSpec("webm", 640, 360, 800, null, "vp8", null),
                new io.streammanager.bus.control.spec.RenditionSpec("sd", 640, 360, 800, null, "vp9", null)),
                null, null);
        StreamSpec spec = new StreamSpec("id-1", "demo", new VideoSpec(1280, 720, 30), null, ladder,
                List.of(new OutputSpec("yt", "rtmp://a/live/k1", null, null, "sd"),
                        new OutputSpec("tw", "rtmp://b/live/k2")), "k", 1, 1);
        List<OutputTarget> targets = OutputTargets.of(spec, "rtmp://127.0.0.1:1935/live");
        assertEquals(List.of("gateway", "gateway-sd", "yt", "tw"), targets.stream().map(OutputTarget::id).toList(),
                "a VP8 rendition has no FLV form: not published");
        assertEquals("rtmp://127.0.0.1:1935/live/demo_sd?key=k", targets.get(1).url());
        assertEquals(List.of(0, 2, 2, 0), targets.stream().map(OutputTarget::rendition).toList());
        assertTrue(targets.get(1).gateway());
    }

    @Test
    void recordOutputsBecomeRecordingsNamedByTheUrlOrTheOutputIdInTheFormatOfTheirRendition() {
        io.streammanager.bus.control.spec.EncoderSpec ladder = new io.streammanager.bus.control.spec.EncoderSpec(
                "h264", null, null, 0, 0, List.of(
                new io.streammanager.bus.control.spec.RenditionSpec("hd", 640, 360, 800),
                new io.streammanager.bus.control.spec.RenditionSpec("vp", 320, 180, 300, null, "vp8", null)),
                null, null);
        StreamSpec spec = new StreamSpec("id-1", "demo", new VideoSpec(640, 360, 30), null, ladder,
                List.of(new OutputSpec("archive", "record:"), new OutputSpec("web", " record:webcopy ", null, null, "vp")),
                "k", 1, 1);
        List<OutputTarget> targets = OutputTargets.of(spec, "rtmp://127.0.0.1:1935/live");
        OutputTarget archive = targets.stream().filter(t -> t.id().equals("archive")).findFirst().orElseThrow();
        OutputTarget web = targets.stream().filter(t -> t.id().equals("web")).findFirst().orElseThrow();
        assertEquals("record:archive", archive.url());
        assertEquals("mp4", archive.format());
        assertEquals(0, archive.rendition());
        assertEquals("record:webcopy", web.url());
        assertEquals("webm", web.format());
        assertEquals(1, web.rendition());
    }
}
