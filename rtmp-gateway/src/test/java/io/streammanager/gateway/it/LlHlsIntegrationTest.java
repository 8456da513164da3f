package io.streammanager.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streammanager.bus.testing.ExternalProcess;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * LL-HLS from the playback port, with real clients: two streams FFmpeg publishes at two sizes ({@code hls} and its
 * rendition {@code hls_low}, named as the muxer names renditions) appear in one master playlist with their size,
 * codecs, frame rate, bandwidth and an audio group; the media playlist carries the low-latency tags; a blocking reload
 * is held until its part exists; bad requests get clean 4xx answers; FFmpeg and GStreamer's hlsdemux each decode 5 s
 * from the master playlist; the meters count what was served.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class LlHlsIntegrationTest extends LlHlsIT {

    @Test
    void twoRenditionsPlayInFfmpegAndGstreamerFromOneMasterPlaylistWithLowLatencyTags() throws Exception {
        try (ExternalProcess main = publish("hls", "640x360", 800);
             ExternalProcess low = publish("hls_low", "320x180", 300)) {
            String master = awaitMaster("hls", 2);
            assertTrue(master.contains("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\""), master);
            assertVariant(master, "hls", "640x360", 800);
            assertVariant(master, "hls_low", "320x180", 300);

            String playlist = get("hls/hls/index.m3u8").body();
            for (String tag : new String[] {"#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=",
                    "#EXT-X-PART-INF:PART-TARGET=", "#EXT-X-MAP:URI=\"init1.mp4\"", "#EXT-X-PROGRAM-DATE-TIME:",
                    "#EXT-X-PART:DURATION=", ",INDEPENDENT=YES", "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p"}) {
                assertTrue(playlist.contains(tag), tag + " in\n" + playlist);
            }
            // 2 s segments of 1 s GOPs; the publisher stamps frames with the wall clock, so a loaded machine stretches them
            Matcher extinf = Pattern.compile("#EXTINF:(\\d+\\.\\d{3}),\n").matcher(playlist);
            assertTrue(extinf.find(), playlist);
            do {
                double seconds = Double.parseDouble(extinf.group(1));
                assertTrue(seconds >= 1.9 && seconds < 3.5, "segment of " + seconds + " s in\n" + playlist);
            } while (extinf.find());
            assertEquals(200, getBytes("hls/hls/init1.mp4").statusCode());

            // a blocking reload for the hinted part: held until it exists (a part lasts about 200 ms), then it is listed
            Matcher hint = Pattern.compile("PRELOAD-HINT:TYPE=PART,URI=\"p(\\d+)\\.m4s\"").matcher(playlist);
            assertTrue(hint.find(), playlist);
            long next = Long.parseLong(hint.group(1));
            Matcher last = Pattern.compile("(?s).*\\ns(\\d+)\\.m4s\\n").matcher(playlist);
            assertTrue(last.find(), playlist);
            long openMsn = Long.parseLong(last.group(1)) + 1;
            int openParts = playlist.substring(playlist.lastIndexOf("\ns" + (openMsn - 1) + ".m4s"))
                    .split("#EXT-X-PART:", -1).length - 1;
            long started = System.nanoTime();
            HttpResponse<String> blocked = get("hls/hls/index.m3u8?_HLS_msn=" + openMsn + "&_HLS_part=" + openParts);
            long heldMs = (System.nanoTime() - started) / 1_000_000;
            assertEquals(200, blocked.statusCode(), blocked.body());
            assertTrue(blocked.body().contains("URI=\"p" + next + ".m4s\""), "part " + next + " listed after " + heldMs
                    + " ms:\n" + blocked.body());
            assertTrue(heldMs < 3000, "held " + heldMs + " ms for one part");
            HttpResponse<byte[]> part = getBytes("hls/hls/p" + (next + 1) + ".m4s"); // the next hint: held, then sent
            assertEquals(200, part.statusCode());
            assertEquals("moof", new String(part.body(), 4, 4));

            // bad requests are clean
            assertStatus(404, "nosuch/master.m3u8", "\"field\":\"name\"");
            assertStatus(404, "hls/other/index.m3u8", "\"field\":\"rendition\"");
            assertStatus(400, "hls/hls/index.m3u8?_HLS_msn=abc", "\"field\":\"_HLS_msn\"");
            assertStatus(400, "hls/hls/index.m3u8?_HLS_part=1", "\"field\":\"_HLS_part\"");
            assertStatus(400, "hls/hls/index.m3u8?_HLS_msn=" + (openMsn + 50), "\"field\":\"_HLS_msn\"");
            assertStatus(404, "hls/hls/p" + (next + 1000) + ".m4s", "\"field\":\"name\"");
            assertStatus(404, "hls/hls/s0.m4s99", "");
            assertStatus(400, "bad%20name/master.m3u8", "\"field\":\"name\"");

            String masterUrl = base() + "hls/master.m3u8";
            try (ExternalProcess ffmpeg = ExternalProcess.start("ffmpeg-hls", dir, Clients.play(masterUrl, 150))) {
                assertTrue(ffmpeg.waitFor(Duration.ofSeconds(60)), ffmpeg.tail());
                assertEquals(0, ffmpeg.exitCode(), ffmpeg.tail());
                assertTrue(Clients.framesDecoded(ffmpeg.output()) >= 150, ffmpeg.tail());
            }
            try (ExternalProcess gst = ExternalProcess.start("gst-hlsdemux", dir, Clients.gstreamerPlayHls(masterUrl))) {
                ItSupport.await("GStreamer's hlsdemux decoding 150 frames", Duration.ofSeconds(60),
                        () -> Clients.gstreamerFramesDecoded(gst.output()) >= 150 || !gst.alive());
                assertTrue(Clients.gstreamerFramesDecoded(gst.output()) >= 150, gst.tail());
            }
            assertTrue(main.alive() && low.alive(), main.tail() + low.tail());
            assertTrue(ItSupport.metric("hls_playlists_served_total{stream=\"hls\"}") >= 3);
            assertTrue(ItSupport.metric("hls_parts_served_total{stream=\"hls\"}") >= 1);
            assertTrue(ItSupport.metric("hls_segments_served_total{stream=\"hls\"}") >= 1);
            assertEquals(0, ItSupport.metric("hls_dropped_messages_total{stream=\"hls\"}"));
        }
    }

    private void assertVariant(String master, String stream, String resolution, int kbps) {
        Matcher m = Pattern.compile("#EXT-X-STREAM-INF:BANDWIDTH=(\\d+),AVERAGE-BANDWIDTH=(\\d+),RESOLUTION=" + resolution
                + ",CODECS=\"avc1\\.64[0-9a-f]{4},mp4a\\.40\\.2\",FRAME-RATE=(\\d+\\.\\d+),AUDIO=\"audio\"\n"
                + Pattern.quote(stream) + "/index\\.m3u8\n").matcher(master);
        assertTrue(m.find(), stream + " " + resolution + " in\n" + master);
        double fps = Double.parseDouble(m.group(3));
        assertTrue(Math.abs(fps - 30) < 1.5, "frame rate " + fps);
        long average = Long.parseLong(m.group(2));
        // the video's capped rate plus 64 kbit/s of audio and the container; generous for a 2 s sample
        assertTrue(average > kbps * 500L && average < kbps * 2500L, "average bandwidth " + average + " for " + kbps + " kbit/s");
        assertTrue(Long.parseLong(m.group(1)) >= average);
    }

    private void assertStatus(int status, String path, String body) throws Exception {
        HttpResponse<String> response = get(path);
        assertEquals(status, response.statusCode(), path + ": " + response.body());
        assertTrue(response.body().contains(body), path + ": " + response.body());
    }
}
