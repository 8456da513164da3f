package io.streammanager.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streammanager.bus.testing.BrowserPlayback;
import io.streammanager.bus.testing.ExternalProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * hls.js in Debian's headless Chromium plays a stream's master playlist in low-latency mode: the stream and its
 * rendition {@code _low} (two FFmpeg publishers at 640x360 and 320x180), a level switch forced by the page
 * (hls.nextLevel) is observed as LEVEL_SWITCHED and on the picture size, and the glass-to-glass latency is reported:
 * the page's clock minus {@code hls.playingDate}, the capture time of the frame on screen, which the gateway writes as
 * EXT-X-PROGRAM-DATE-TIME from the publisher's {@code sm_capture_epoch_us} metadata. The bound asserted here is loose
 * (a loaded 2-core machine); {@code bench/llhls.sh} reports the figure.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class LlHlsBrowserIntegrationTest extends LlHlsIT {

    /** Seconds of playback; bench/llhls.sh plays longer ({@code -Dllhls.seconds}). */
    private static final int WANTED_SECONDS = Integer.getInteger("llhls.seconds", 14);

    @Test
    void hlsJsPlaysTheMasterPlaylistInLowLatencyModeSwitchesLevelAndReportsItsLatency() throws Exception {
        try (ExternalProcess main = publish("hlsweb", "640x360", 800);
             ExternalProcess low = publish("hlsweb_low", "320x180", 300)) {
            awaitMaster("hlsweb", 2);
            List<Long> edge = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                edge.add(edgeDelayMs("hlsweb/hlsweb/index.m3u8?_HLS_msn=0"));
                Thread.sleep(97); // spread over the part cycle
            }
            String master = base() + "hlsweb/master.m3u8";
            BrowserPlayback.Result result = BrowserPlayback.playHls(dir.resolve("browser"), WANTED_SECONDS,
                    Duration.ofSeconds(WANTED_SECONDS + 46L), () -> { }, master);
            String where = "\nbrowser said:\n" + result.output();
            assertEquals(Boolean.TRUE, result.h264().get(master), "hls.js and H.264 through MSE: " + where);
            List<BrowserPlayback.Sample> samples = result.samples().get(master);
            assertTrue(samples.size() >= 2, where);
            BrowserPlayback.Sample last = samples.getLast();
            assertEquals(List.of(), last.errors(), where);
            assertTrue(last.currentTime() >= WANTED_SECONDS, "played " + last.currentTime() + " s" + where);
            assertTrue(last.totalVideoFrames() >= WANTED_SECONDS * 20, last.totalVideoFrames() + " frames" + where);

            JsonNode raw = last.raw();
            assertEquals(2, raw.path("levels").size(), where);
            int forced = raw.path("forced").asInt(-1);
            assertTrue(forced >= 0, "the page forced a level switch" + where);
            String forcedSize = raw.path("levels").get(forced).asText();
            boolean switched = false;
            for (JsonNode event : raw.path("switches")) {
                switched |= event.path("level").asInt() == forced && event.path("played").asDouble() > 0;
            }
            assertTrue(switched, "LEVEL_SWITCHED to " + forced + " (" + forcedSize + ")" + where);
            assertTrue(samples.stream().anyMatch(s -> (s.width() + "x" + s.height()).equals(forcedSize)),
                    "the picture became " + forcedSize + where);

            List<Long> latencies = new ArrayList<>();
            for (BrowserPlayback.Sample sample : samples) {
                // the second half: hls.js has caught up with its target after a start on a loaded machine
                if (sample.currentTime() >= WANTED_SECONDS / 2.0 && sample.raw().path("latencyMs").isNumber()) {
                    latencies.add(sample.raw().path("latencyMs").asLong());
                }
            }
            assertTrue(latencies.size() >= 4, "latency samples " + latencies + where);
            List<Long> sorted = latencies.stream().sorted().toList();
            long median = sorted.get(sorted.size() / 2);
            List<Double> behindEdge = samples.stream().filter(s -> s.raw().path("hlsLatency").isNumber())
                    .map(s -> s.raw().path("hlsLatency").asDouble()).sorted().toList();
            System.out.printf(Locale.ROOT, "LLHLS-LATENCY hls.js low-latency glass-to-glass: median %d ms, min %d ms, "
                            + "max %d ms over %d samples; hls.js behind the live edge: median %.2f s (target %.2f s); "
                            + "live edge behind capture at the gateway: median %d ms%n", median, sorted.getFirst(),
                    sorted.getLast(), sorted.size(), behindEdge.isEmpty() ? -1 : behindEdge.get(behindEdge.size() / 2),
                    last.raw().path("targetLatency").asDouble(), edge.stream().sorted().toList().get(edge.size() / 2));
            System.out.println("LLHLS-WARNINGS " + last.raw().path("warnings"));
            assertTrue(median < 5000, "median glass-to-glass latency " + median + " ms" + where);
            assertTrue(main.alive() && low.alive(), main.tail() + low.tail());
        }
    }
}
