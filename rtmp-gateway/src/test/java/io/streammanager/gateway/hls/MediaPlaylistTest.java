package io.streammanager.gateway.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MediaPlaylistTest {

    /** 2018-01-01T00:00:00Z */
    private static final long EPOCH_MS = 1514764800000L;
    private static final TrackConfig TRACKS = new TrackConfig(
            new AvcConfig(new byte[] {1, 0x64, 0, 0x1f}, 0x64, 0, 0x1f, 640, 360),
            new AacConfig(new byte[] {0x12, 0x10}, 2, 44100, 2));
    private static final HlsSettings SETTINGS = new HlsSettings(Duration.ofSeconds(2), Duration.ofMillis(300), 3,
            1 << 20, 16, 4, Duration.ofSeconds(6), Duration.ofSeconds(10), 1);

    /** A window holding segments of {@code partsPerSegment} 300 ms parts (10 bytes each), the last one open. */
    private static MediaWindow window(int segments, int partsPerSegment, int openParts) {
        MediaWindow window = new MediaWindow(SETTINGS.windowSegments(), SETTINGS.maxBytes(), SETTINGS.maxWaiting());
        window.init(new byte[] {0, 0, 0, 8, 'f', 't', 'y', 'p'}, TRACKS);
        long t = EPOCH_MS;
        for (int s = 0; s < segments; s++) {
            int parts = s == segments - 1 ? openParts : partsPerSegment;
            for (int p = 0; p < parts; p++) {
                window.part(new byte[10], 300, 9, p == 0, p == 0, t);
                t += 300;
            }
        }
        return window;
    }

    @Test
    void playlistHasTheLowLatencyTagsByteForByte() {
        MediaWindow window = window(3, 2, 1); // segments 0 and 1 complete (600 ms), segment 2 open with one part
        String playlist = MediaPlaylist.render(window.view(), 2000, 300, "?token=t1");
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-TARGETDURATION:2
                #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.900
                #EXT-X-PART-INF:PART-TARGET=0.300
                #EXT-X-MEDIA-SEQUENCE:0
                #EXT-X-MAP:URI="init1.mp4?token=t1"
                #EXT-X-PROGRAM-DATE-TIME:2018-01-01T00:00:00Z
                #EXT-X-PART:DURATION=0.300,URI="p0.m4s?token=t1",INDEPENDENT=YES
                #EXT-X-PART:DURATION=0.300,URI="p1.m4s?token=t1"
                #EXTINF:0.600,
                s0.m4s?token=t1
                #EXT-X-PROGRAM-DATE-TIME:2018-01-01T00:00:00.600Z
                #EXT-X-PART:DURATION=0.300,URI="p2.m4s?token=t1",INDEPENDENT=YES
                #EXT-X-PART:DURATION=0.300,URI="p3.m4s?token=t1"
                #EXTINF:0.600,
                s1.m4s?token=t1
                #EXT-X-PROGRAM-DATE-TIME:2018-01-01T00:00:01.200Z
                #EXT-X-PART:DURATION=0.300,URI="p4.m4s?token=t1",INDEPENDENT=YES
                #EXT-X-PRELOAD-HINT:TYPE=PART,URI="p5.m4s?token=t1"
                """, playlist);
    }

    @Test
    void oldSegmentsLeaveTheWindowAndOnlyTheLastOnesListParts() {
        MediaWindow window = window(6, 2, 1); // 5 complete, window keeps 3
        String playlist = MediaPlaylist.render(window.view(), 2000, 300, "");
        assertEquals(2, window.evicted());
        assertTrue(playlist.contains("#EXT-X-MEDIA-SEQUENCE:2\n"), playlist);
        assertFalse(playlist.contains("s1.m4s"), playlist);
        assertFalse(playlist.contains("p4.m4s"), "segment 2's parts are no longer listed: " + playlist);
        assertTrue(playlist.contains("s2.m4s\n") && playlist.contains("URI=\"p6.m4s\""), playlist);
        assertTrue(window.segment(1).isEmpty());
        assertTrue(window.part(3).isEmpty());
        assertEquals(2, window.segment(2).orElseThrow().size());
    }

    @Test
    void theByteBoundEvictsBeforeTheCountDoes() {
        MediaWindow window = new MediaWindow(10, 100, 4);
        window.init(new byte[8], TRACKS);
        for (int i = 0; i < 8; i++) {
            window.part(new byte[20], 300, 9, true, true, EPOCH_MS + i * 300L);
        }
        assertTrue(window.bytes() <= 100, "window holds " + window.bytes() + " bytes");
        assertTrue(window.evicted() >= 3, "evicted " + window.evicted());
    }

    @Test
    void blockingReloadDirectivesAreParsedAndBadOnesNamed() {
        assertEquals(BlockingReload.NONE, BlockingReload.parse(null, null));
        assertEquals(new BlockingReload(7, 2), BlockingReload.parse("7", "2"));
        assertEquals(new BlockingReload(7, -1), BlockingReload.parse("7", null));
        for (String[] bad : new String[][] {{"-1", null}, {"x", null}, {"", null}, {null, "1"}, {"1", "y"},
                {"99999999999999999999", null}, {"1", "3000000000"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BlockingReload.parse(bad[0], bad[1]));
            assertTrue(e.getMessage().startsWith("_HLS_"), e.getMessage());
        }
    }

    @Test
    void aBlockedReloadIsAnsweredWhenItsPartExistsAndNotBefore() {
        HlsStream stream = new HlsStream("s", SETTINGS);
        MediaWindow window = stream.window();
        window.init(new byte[8], TRACKS);
        window.part(new byte[10], 300, 9, true, true, EPOCH_MS);
        window.part(new byte[10], 300, 9, false, false, EPOCH_MS + 300);
        window.part(new byte[10], 300, 9, true, true, EPOCH_MS + 600); // segment 0 complete, 1 open with one part
        List<HlsAnswer> answers = new ArrayList<>();
        stream.playlist("1", "0", "", answers::add);
        assertEquals(1, answers.size(), "part 0 of segment 1 exists: answered at once");
        stream.playlist("1", "1", "", answers::add);
        stream.playlist("1", null, "", answers::add);
        assertEquals(1, answers.size(), "the next part and the whole open segment are waited for");
        assertEquals(2, stream.waiting());
        window.part(new byte[10], 300, 9, false, false, EPOCH_MS + 900);
        assertEquals(2, answers.size(), "part 1 of segment 1 arrived");
        assertTrue(text(answers.get(1)).contains("URI=\"p3.m4s\"\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p4.m4s\""),
                text(answers.get(1)));
        window.part(new byte[10], 300, 9, true, true, EPOCH_MS + 1200);
        assertEquals(3, answers.size(), "segment 1 is complete once segment 2 starts: _HLS_msn=1 waited for that");
        assertEquals(0, stream.waiting());

        stream.playlist("5", null, "", answers::add);
        assertEquals(400, answers.getLast().status(), "more than two segments ahead");
        assertTrue(text(answers.getLast()).contains("\"field\":\"_HLS_msn\""), text(answers.getLast()));
        stream.playlist("1", "x", "", answers::add);
        assertEquals(400, answers.getLast().status());
        assertTrue(text(answers.getLast()).contains("\"field\":\"_HLS_part\""), text(answers.getLast()));
    }

    @Test
    void thePreloadHintedPartIsHeldUntilItExistsAndLaterOnesAre404() {
        HlsStream stream = new HlsStream("s", SETTINGS);
        MediaWindow window = stream.window();
        window.init(new byte[8], TRACKS);
        window.part(new byte[] {1}, 300, 9, true, true, EPOCH_MS);
        List<HlsAnswer> answers = new ArrayList<>();
        stream.part(0, answers::add);
        assertEquals(200, answers.getLast().status());
        stream.part(5, answers::add);
        assertEquals(404, answers.getLast().status());
        HlsStream.Pending pending = stream.part(1, answers::add);
        assertEquals(2, answers.size());
        window.part(new byte[] {2}, 300, 9, false, false, EPOCH_MS + 300);
        assertEquals(3, answers.size());
        assertEquals(2, answers.getLast().body().getFirst()[0]);
        pending.cancel(); // after the answer: nothing happens
        HlsStream.Pending cancelled = stream.part(2, answers::add);
        cancelled.cancel();
        assertEquals(0, stream.waiting());
        window.part(new byte[] {3}, 300, 9, false, false, EPOCH_MS + 600);
        assertEquals(3, answers.size(), "a cancelled wait is never answered");
    }

    @Test
    void theMasterListsEachRenditionWithItsAudioGroup() {
        String master = MasterPlaylist.render(List.of(
                new MasterPlaylist.Variant("demo", 2_600_000, 2_500_000, 1280, 720, 30, TRACKS),
                new MasterPlaylist.Variant("demo_low", 900_000, 800_000, 640, 360, 29.97, TRACKS)), "?key=k");
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="main",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2"
                #EXT-X-STREAM-INF:BANDWIDTH=2600000,AVERAGE-BANDWIDTH=2500000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",FRAME-RATE=30.000,AUDIO="audio"
                demo/index.m3u8?key=k
                #EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=800000,RESOLUTION=640x360,CODECS="avc1.64001f,mp4a.40.2",FRAME-RATE=29.970,AUDIO="audio"
                demo_low/index.m3u8?key=k
                """, master);
        assertTrue(HlsStreams.renditionOf("demo", "demo_low"));
        assertTrue(HlsStreams.renditionOf("demo", "demo"));
        assertFalse(HlsStreams.renditionOf("demo", "demolow"));
        assertFalse(HlsStreams.renditionOf("demo", "demo_"));
        assertFalse(HlsStreams.renditionOf("demo", "other_low"));
    }

    private static String text(HlsAnswer answer) {
        return new String(answer.body().getFirst(), StandardCharsets.UTF_8);
    }
}
