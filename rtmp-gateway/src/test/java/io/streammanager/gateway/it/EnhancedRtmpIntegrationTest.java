package io.streammanager.gateway.it;

import io.streammanager.bus.testing.ExternalProcess;

import static io.streammanager.gateway.it.ItSupport.metric;
import static io.streammanager.gateway.it.ItSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streammanager.gateway.relay.LiveStream;
import java.time.Duration;
import java.util.List;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;

/**
 * Enhanced RTMP against real FFmpeg 8.1 (the JavaCV natives' ffmpeg, the only one here that speaks it; Debian's is
 * 5.1): HEVC (libx265), AV1 (libaom-av1) and VP9 (libvpx-vp9) published with {@code -rtmp_enhanced_codecs}, played
 * and decoded by a second ffmpeg; a late joiner starts at a keyframe; a player that listed other codecs is refused.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class EnhancedRtmpIntegrationTest extends GatewayIT {


    private static String ffprobe() {
        return Loader.load(org.bytedeco.ffmpeg.ffprobe.class);
    }

    /** The player lists no codecs (plain ffmpeg): relayed anyway, since ffmpeg decodes E-RTMP without asking, and counted. */
    private void relaysAndDecodes(String name, String fourCc, String decoderName, String... encoder) throws Exception {
        double unsignalled = metric("rtmp_enhanced_plays_total{outcome=\"unsignalled\"}");
        try (ExternalProcess publisher = startEnhancedPublisher(name, 40, fourCc, encoder);
             ExternalProcess player = ExternalProcess.start("play-" + name, dir, Clients.play(url(name), 30))) {
            assertTrue(player.waitFor(Duration.ofSeconds(60)), player.tail());
            assertEquals(0, player.exitCode(), player.tail());
            assertTrue(player.output().contains("Video: " + decoderName), player.tail());
            assertTrue(Clients.framesDecoded(player.output()) >= 30, player.tail());
            assertTrue(publisher.alive(), publisher.tail());
        }
        assertTrue(metric("rtmp_enhanced_plays_total{outcome=\"unsignalled\"}") >= unsignalled + 1);
    }

    @Test
    void hevcPublishedWithEnhancedRtmpIsRelayedAndDecoded() throws Exception {
        relaysAndDecodes("ehevc", "hvc1", "hevc", Clients.HEVC);
    }

    @Test
    void av1PublishedWithEnhancedRtmpIsRelayedAndDecoded() throws Exception {
        relaysAndDecodes("eav1", "av01", "av1",
                "-c:v", "libaom-av1", "-usage", "realtime", "-cpu-used", "8", "-b:v", "300k");
    }

    @Test
    void vp9PublishedWithEnhancedRtmpIsRelayedAndDecoded() throws Exception {
        relaysAndDecodes("evp9", "vp09", "vp9",
                "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "300k");
    }

    /** A player joining mid-GOP gets the cached sequence start and its first decoded frame is a keyframe. */
    @Test
    void aLateHevcPlayerStartsAtAKeyframeWithTheSequenceStart() throws Exception {
        try (ExternalProcess publisher = startEnhancedPublisher("elate", 40, "hvc1", Clients.HEVC)) {
            Thread.sleep(2500); // well past the first keyframe: the GOP cache now starts at a later one
            try (ExternalProcess probe = ExternalProcess.start("probe-elate", dir, List.of(ffprobe(), "-hide_banner",
                    "-rw_timeout", "15000000", "-select_streams", "v", "-read_intervals", "%+#10",
                    "-show_entries", "frame=key_frame,pict_type:stream=codec_name", "-of", "csv=p=0", url("elate")))) {
                assertTrue(probe.waitFor(Duration.ofSeconds(60)), probe.tail());
                assertEquals(0, probe.exitCode(), probe.tail());
                List<String> frames = probe.output().lines().filter(l -> l.matches("[01],[IPB?],?\\s*")).toList();
                assertTrue(frames.size() >= 10, probe.tail());
                assertTrue(frames.get(0).startsWith("1,I"), "first frame: " + probe.tail());
                assertTrue(probe.output().contains("hevc"), probe.tail());
                assertTrue(!probe.output().contains("Could not find ref") && !probe.output().contains("PPS id"),
                        "decoded without missing references: " + probe.tail());
            }
            assertTrue(publisher.alive(), publisher.tail());
        }
    }

    @Test
    void aPlayerThatListsTheCodecPlaysAndOneThatListsOthersIsRefusedWithAReason() throws Exception {
        double signalled = metric("rtmp_enhanced_plays_total{outcome=\"signalled\"}");
        double refused = metric("rtmp_enhanced_plays_total{outcome=\"refused\"}");
        try (ExternalProcess publisher = startEnhancedPublisher("esignal", 40, "hvc1", Clients.HEVC)) {
            try (ExternalProcess asking = ExternalProcess.start("play-asking", dir,
                    Clients.play(url("esignal"), 20, "-rtmp_enhanced_codecs", "hvc1,av01"))) {
                assertTrue(asking.waitFor(Duration.ofSeconds(60)), asking.tail());
                assertEquals(0, asking.exitCode(), asking.tail());
                assertTrue(Clients.framesDecoded(asking.output()) >= 20, asking.tail());
            }
            try (ExternalProcess other = ExternalProcess.start("play-other", dir,
                    Clients.play(url("esignal"), 20, "-rtmp_enhanced_codecs", "av01,vp09"))) {
                assertTrue(other.waitFor(Duration.ofSeconds(30)), other.tail());
                assertNotEquals(0, other.exitCode(), other.tail());
                assertTrue(other.output().contains("stream video is hvc1 (Enhanced RTMP)"), other.tail());
            }
            assertTrue(publisher.alive(), publisher.tail());
        }
        assertEquals(signalled + 1, metric("rtmp_enhanced_plays_total{outcome=\"signalled\"}"), 0.0);
        assertEquals(refused + 1, metric("rtmp_enhanced_plays_total{outcome=\"refused\"}"), 0.0);
    }

    /** A waiting player that listed only other codecs is refused when the publisher's sequence start arrives. */
    @Test
    void aWaitingPlayerIsRefusedWhenTheStreamTurnsOutToBeACodecItDidNotList() throws Exception {
        try (ExternalProcess waiting = ExternalProcess.start("play-waiting", dir,
                Clients.play(url("elater"), 20, "-rtmp_enhanced_codecs", "av01"))) {
            await("a waiting player on elater", Duration.ofSeconds(30),
                    () -> streams.find("elater").map(LiveStream::playerCount).orElse(0) == 1 || !waiting.alive());
            try (ExternalProcess publisher = startEnhancedPublisher("elater", 30, "hvc1", Clients.HEVC)) {
                assertTrue(waiting.waitFor(Duration.ofSeconds(30)), waiting.tail());
                assertNotEquals(0, waiting.exitCode(), waiting.tail());
                assertTrue(waiting.output().contains("stream video is hvc1 (Enhanced RTMP)"), waiting.tail());
                assertEquals(0, streams.find("elater").map(LiveStream::playerCount).orElse(0));
                assertTrue(publisher.alive(), publisher.tail());
            }
        }
    }
}
