package io.streammanager.composition.api;

import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.streammanager.bus.shm.FrameRingReader;
import io.streammanager.bus.shm.FrameView;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.composition.config.CompositionConfig;
import io.streammanager.composition.testing.RedisAndShmResource;
import io.streammanager.bus.testing.ExternalProcess;
import io.streammanager.bus.testing.FreePorts;
import io.streammanager.bus.testing.NginxRtmp;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import org.hamcrest.Matchers;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The audio mix with real parts: clips and sound files made by the ffmpeg CLI are uploaded, placed as video and audio
 * layers, decoded by FFmpeg, and the mix is read straight from the stream's PCM ring (what the encoder reads): its
 * dominant frequency (Goertzel), its level against the source's, mute, and two sources at once.
 */
@QuarkusTest
@WithTestResource(RedisAndShmResource.class)
class AudioMixTest {

    private static final Logger LOG = Logger.getLogger(AudioMixTest.class);
    /** lavfi's sine is at 1/8 of full scale: an RMS of 20*log10(0.125/sqrt(2)) = -21.1 dBFS. */
    static final double SINE_DBFS = 20 * Math.log10(0.125 / Math.sqrt(2));
    /** swresample spreads a mono source over both channels at -3 dB each (equal power). */
    static final double MONO_TO_STEREO_DB = 20 * Math.log10(Math.sqrt(0.5));

    @Inject
    CompositionConfig config;

    @AfterEach
    void deleteAll() {
        AssetResourceTest.deleteStreamsAndAssets();
    }

    static String toneClip(int frequency) throws Exception {
        byte[] clip = AssetResourceTest.ffmpegFile("tone-" + frequency + ".mp4", "-f", "lavfi", "-i",
                "testsrc=s=160x120:r=25", "-f", "lavfi", "-i", "sine=frequency=" + frequency + ":sample_rate=44100",
                "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
                "-b:a", "128k", "-af", "pan=stereo|c0=c0|c1=c0"); // stereo at the sine's own level
        return upload(clip, "video/mp4");
    }

    static String upload(byte[] body, String type) {
        return asAdmin().contentType(type).body(body).when().post("/api/v1/assets").then().statusCode(201)
                .extract().path("id");
    }

    private String create(String layers) {
        return asAdmin().contentType(ContentType.JSON).body("""
                {"name":"mix-%d","video":{"width":320,"height":180,"fps":30},"scene":{"layers":[
                  {"type":"background","id":"bg","color":"#000000"},%s]}}
                """.formatted(System.nanoTime() % 100000, layers)).when().post("/api/v1/streams").then()
                .statusCode(201).extract().path("id");
    }

    @Test
    void aClipsToneIsMixedAtItsLayersVolumeAndMutedGivesSilence() throws Exception {
        String clip = toneClip(1000);
        String streamId = create("""
                {"type":"video","id":"clip","source":"asset:%s","loop":true,"volume":0.5}""".formatted(clip));
        try (FrameRingReader pcm = FrameRingReader.open(RingFiles.pcmRing(config.shmDir(), streamId),
                Duration.ofSeconds(5))) {
            assertEquals(48_000, pcm.pcm().sampleRate());
            assertEquals(2, pcm.pcm().channels());
            short[] sound = PcmCapture.afterSoundStarts(pcm, Duration.ofSeconds(15), 24_000);
            double level = PcmCapture.rmsDbfs(sound);
            double at1k = PcmCapture.goertzel(sound, 1000);
            double at700 = PcmCapture.goertzel(sound, 700);
            double at1400 = PcmCapture.goertzel(sound, 1400);
            LOG.infof("volume 0.5: %.2f dBFS (source %.2f dBFS, expected %.2f); 1 kHz power %.3g, 700 Hz %.3g, "
                    + "1400 Hz %.3g", level, SINE_DBFS, SINE_DBFS - 6.02, at1k, at700, at1400);
            assertTrue(Math.abs(level - (SINE_DBFS - 6.02)) <= 1.5, "level at volume 0.5: " + level);
            assertTrue(at1k > 100 * at700 && at1k > 100 * at1400, "1 kHz dominates");

            asAdmin().contentType("application/merge-patch+json").body("""
                    {"scene":{"layers":[{"type":"background","id":"bg","color":"#000000"},
                      {"type":"video","id":"clip","source":"asset:%s","loop":true,"muted":true}]}}
                    """.formatted(clip)).when().patch("/api/v1/streams/" + streamId).then().statusCode(200);
            short[] muted = PcmCapture.read(pcm, Duration.ofSeconds(10), 9_600, s -> PcmCapture.silent(s));
            assertTrue(PcmCapture.silent(muted), "muted: zeros");
            // the source stays connected while muted: its picture is still on screen
            asAdmin().get("/api/v1/streams/" + streamId).then().statusCode(200)
                    .body("sources.clip.state", Matchers.equalTo("live"));
        }
    }

    @Test
    void aLayersSoundFadesOutWithItsPictureAcrossTheFade() throws Exception {
        byte[] tone = AssetResourceTest.ffmpegFile("tone-long.mp4", "-f", "lavfi", "-i", "testsrc=s=160x120:r=25",
                "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000", "-t", "12", "-c:v", "libx264",
                "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-af",
                "pan=stereo|c0=c0|c1=c0"); // long enough that no loop restart falls into the fade
        String clip = upload(tone, "video/mp4");
        String streamId = create("""
                {"type":"video","id":"clip","source":"asset:%s","loop":true}""".formatted(clip));
        long fadeUs = 2_000_000;
        try (FrameRingReader pcm = FrameRingReader.open(RingFiles.pcmRing(config.shmDir(), streamId),
                Duration.ofSeconds(5))) {
            PcmCapture.afterSoundStarts(pcm, Duration.ofSeconds(15), 4_800);
            FrameView slot = new FrameView();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (pcm.await(slot, Duration.ofMillis(200).toNanos()) != FrameRingReader.FRAME) {
                assertTrue(System.nanoTime() < deadline, "the mix goes on");
            }
            long cueUs = slot.ptsUs() + 1_500_000;
            asAdmin().contentType("application/merge-patch+json").body("""
                    {"scene":{"layers":[{"type":"background","id":"bg","color":"#000000"}],
                      "transition":{"type":"fade","durationMs":%d},"applyAt":{"ptsUs":%d}}}
                    """.formatted(fadeUs / 1000, cueUs)).when().patch("/api/v1/streams/" + streamId).then()
                    .statusCode(200);
            // the mix from before the cue to after the fade, by slot pts (left channel)
            TreeMap<Long, short[]> slots = new TreeMap<>();
            deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline && (slots.isEmpty() || slots.lastKey() < cueUs + fadeUs + 300_000)) {
                if (pcm.await(slot, Duration.ofMillis(200).toNanos()) != FrameRingReader.FRAME) {
                    continue;
                }
                short[] left = new short[slot.sampleCount()];
                for (int i = 0; i < left.length; i++) {
                    left[i] = slot.pixels().get(PcmCapture.S16_LE, i * 4L);
                }
                if (pcm.stillValid(slot) && slot.ptsUs() >= cueUs - 400_000) {
                    slots.put(slot.ptsUs(), left);
                }
            }
            double full = PcmCapture.rmsDbfs(window(slots, cueUs - 300_000, cueUs - 100_000));
            double[] at = new double[3];
            for (int quarter = 1; quarter <= 3; quarter++) {
                long centreUs = cueUs + fadeUs * quarter / 4;
                at[quarter - 1] = PcmCapture.rmsDbfs(window(slots, centreUs - 50_000, centreUs + 50_000)) - full;
            }
            short[] after = window(slots, cueUs + fadeUs + 50_000, cueUs + fadeUs + 250_000);
            LOG.infof("fade-out of a tone: %.2f dBFS before; at 25/50/75%% of the fade %.2f / %.2f / %.2f dB "
                    + "(expected %.2f / %.2f / %.2f); after it %s", full, at[0], at[1], at[2],
                    20 * Math.log10(0.75), 20 * Math.log10(0.5), 20 * Math.log10(0.25),
                    PcmCapture.silent(after) ? "silence" : PcmCapture.rmsDbfs(after) + " dBFS");
            assertTrue(Math.abs(full - SINE_DBFS) <= 1.5, "full level before the fade: " + full);
            for (int quarter = 1; quarter <= 3; quarter++) {
                double expected = 20 * Math.log10(1 - quarter / 4.0);
                assertTrue(Math.abs(at[quarter - 1] - expected) <= 1.0,
                        "at " + quarter * 25 + "% of the fade: " + at[quarter - 1] + " dB, expected " + expected);
            }
            assertTrue(after.length > 9_000 && PcmCapture.silent(after), "silence once the layer is gone");
        }
    }

    /** The samples of the slots whose pts lie in [fromUs, toUs), in order. */
    private static short[] window(TreeMap<Long, short[]> slots, long fromUs, long toUs) {
        var inside = slots.subMap(fromUs, toUs).values();
        short[] samples = new short[inside.stream().mapToInt(s -> s.length).sum()];
        int at = 0;
        for (short[] s : inside) {
            System.arraycopy(s, 0, samples, at, s.length);
            at += s.length;
        }
        return samples;
    }

    /**
     * A looped sound starts over without a gap. Before the source sought back to the start on one pacing timeline
     * (it reopened the file with a fresh pacer), this measured 13 silent runs in 6 s, 128 to 1600 samples each; a gap
     * of the loop shows at each of the six restarts. Alone this measures none; in a loaded full run one 128-sample run
     * was seen once (the decoder thread descheduled past the queue's depth), so one run under 10 ms is let pass.
     */
    @Test
    void aLoopedOneSecondSoundStartsOverWithoutAGap() throws Exception {
        byte[] wav = AssetResourceTest.ffmpegFile("second.wav", "-f", "lavfi", "-i",
                "sine=frequency=1000:sample_rate=48000", "-t", "1", "-ac", "2", "-c:a", "pcm_s16le");
        String second = upload(wav, "audio/wav");
        String streamId = create("""
                {"type":"audio","id":"bed","source":"asset:%s","loop":true}""".formatted(second));
        try (FrameRingReader pcm = FrameRingReader.open(RingFiles.pcmRing(config.shmDir(), streamId),
                Duration.ofSeconds(5))) {
            PcmCapture.afterSoundStarts(pcm, Duration.ofSeconds(15), 48_000);
            short[] sound = PcmCapture.read(pcm, Duration.ofSeconds(15), 6 * 48_000, s -> true); // six loop points
            List<Integer> gaps = silentRuns(sound, 24); // a 1 kHz tone is never silent for half a millisecond
            LOG.infof("a 1 s sound looped: silent runs over 6 s (samples at 48 kHz): %s", gaps);
            assertTrue(gaps.size() <= 1 && gaps.stream().allMatch(run -> run <= 480),
                    "no gap where the sound starts over: " + gaps);
        }
    }

    /** The lengths of the runs of at least {@code min} zero samples. */
    static List<Integer> silentRuns(short[] samples, int min) {
        List<Integer> runs = new java.util.ArrayList<>();
        int run = 0;
        for (short s : samples) {
            if (s == 0) {
                run++;
                continue;
            }
            if (run >= min) {
                runs.add(run);
            }
            run = 0;
        }
        if (run >= min) {
            runs.add(run);
        }
        return runs;
    }

    @Test
    void anAudioLayerPlaysASoundFileAndTwoSourcesAreMixed() throws Exception {
        // mono 44.1 kHz: the source is resampled to 48 kHz stereo; long enough that no loop restarts (a short gap
        // while the file is reopened) fall into the windows measured
        byte[] wav = AssetResourceTest.ffmpegFile("bed.wav", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=44100", "-t", "12", "-ac", "1", "-c:a", "pcm_s16le");
        String bed = upload(wav, "audio/wav");
        asAdmin().get("/api/v1/assets/" + bed).then().statusCode(200).body("type", Matchers.equalTo("audio/wav"))
                .body("durationMs", Matchers.greaterThan(11_900));
        String streamId = create("""
                {"type":"audio","id":"bed","source":"asset:%s","loop":true}""".formatted(bed));
        try (FrameRingReader pcm = FrameRingReader.open(RingFiles.pcmRing(config.shmDir(), streamId),
                Duration.ofSeconds(5))) {
            short[] alone = PcmCapture.afterSoundStarts(pcm, Duration.ofSeconds(15), 24_000);
            double at440 = PcmCapture.goertzel(alone, 440);
            LOG.infof("audio layer alone: %.2f dBFS, 440 Hz %.3g, 1 kHz %.3g", PcmCapture.rmsDbfs(alone), at440,
                    PcmCapture.goertzel(alone, 1000));
            assertTrue(at440 > 100 * PcmCapture.goertzel(alone, 1000) && at440 > 100 * PcmCapture.goertzel(alone, 600));
            assertTrue(Math.abs(PcmCapture.rmsDbfs(alone) - (SINE_DBFS + MONO_TO_STEREO_DB)) <= 1.5,
                    "level at volume 1 of a mono source: " + PcmCapture.rmsDbfs(alone));
            asAdmin().get("/api/v1/streams/" + streamId).then().statusCode(200)
                    .body("sources.bed.state", Matchers.equalTo("live"))
                    .body("sources.bed", Matchers.not(Matchers.hasKey("fps"))); // heard, not shown: no picture rate

            String clip = toneClip(1000);
            asAdmin().contentType("application/merge-patch+json").body("""
                    {"scene":{"layers":[{"type":"background","id":"bg","color":"#000000"},
                      {"type":"audio","id":"bed","source":"asset:%s","loop":true},
                      {"type":"video","id":"clip","source":"asset:%s","loop":true,"width":160,"height":90}]}}
                    """.formatted(bed, clip)).when().patch("/api/v1/streams/" + streamId).then().statusCode(200);
            short[] both = PcmCapture.read(pcm, Duration.ofSeconds(15), 24_000,
                    s -> PcmCapture.goertzel(s, 1000) > 0.1 * PcmCapture.goertzel(s, 440));
            double both440 = PcmCapture.goertzel(both, 440);
            double both1k = PcmCapture.goertzel(both, 1000);
            double between = PcmCapture.goertzel(both, 700);
            LOG.infof("two sources: 440 Hz %.3g, 1 kHz %.3g, 700 Hz %.3g", both440, both1k, between);
            assertTrue(both440 > 100 * between && both1k > 100 * between, "both tones, nothing between");
            assertTrue(both1k > 0.3 * both440 && both440 > 0.3 * both1k, "at about the same level");
        }
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("composition_audio_level_dbfs{source=\"bed\",stream=\"" + streamId + "\"}"),
                "level gauge");
        assertTrue(metrics.contains("composition_audio_underruns_total{"), "underruns");
        assertTrue(metrics.contains("composition_audio_dropped_samples_total{"), "dropped samples");
        assertTrue(metrics.contains("composition_audio_clipped_samples_total{stream=\"" + streamId + "\"}"), "clipped");
    }

    @Test
    void aLiveSourcesSoundIsMixedWithItsPicture() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "audio-live-");
        try (NginxRtmp nginx = NginxRtmp.startLive(dir, FreePorts.next(), null);
             ExternalProcess publisher = ExternalProcess.start("publisher", dir, List.of("ffmpeg", "-hide_banner",
                     "-loglevel", "error", "-re", "-f", "lavfi", "-i", "color=c=0x00ff00:s=320x240:r=30",
                     "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000", "-c:v", "libx264", "-preset",
                     "ultrafast", "-tune", "zerolatency", "-g", "15", "-pix_fmt", "yuv420p", "-c:a", "aac",
                     "-f", "flv", nginx.url("cam")))) {
            String streamId = create("""
                    {"type":"video","id":"cam","source":"%s","width":160,"height":120}""".formatted(nginx.url("cam")));
            try (FrameRingReader pcm = FrameRingReader.open(RingFiles.pcmRing(config.shmDir(), streamId),
                    Duration.ofSeconds(5))) {
                short[] sound = PcmCapture.afterSoundStarts(pcm, Duration.ofSeconds(20), 24_000);
                long underrunsBefore = underruns(streamId);
                // three more seconds of live sound: how often it ran short
                PcmCapture.read(pcm, Duration.ofSeconds(10), 144_000, s -> true);
                long underruns = underruns(streamId) - underrunsBefore;
                double level = PcmCapture.rmsDbfs(sound);
                LOG.infof("live source: %.2f dBFS (mono sine, expected %.2f), 1 kHz %.3g, 700 Hz %.3g; "
                        + "%d underruns in 3 s", level, SINE_DBFS + MONO_TO_STEREO_DB,
                        PcmCapture.goertzel(sound, 1000), PcmCapture.goertzel(sound, 700), underruns);
                assertTrue(PcmCapture.goertzel(sound, 1000) > 100 * PcmCapture.goertzel(sound, 700));
                assertTrue(Math.abs(level - (SINE_DBFS + MONO_TO_STEREO_DB)) <= 1.5, "level " + level);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static long underruns(String streamId) {
        Number value = asAdmin().get("/api/v1/streams/" + streamId).then().statusCode(200).extract()
                .path("sources.cam.audioUnderruns");
        return value.longValue();
    }

    @Test
    void soundFilesOfEveryTypeAreTakenAndABodyOfTheWrongKindIsNot() throws Exception {
        String[][] kinds = {{"bed.mp3", "audio/mpeg", "libmp3lame"}, {"bed.ogg", "audio/ogg", "libvorbis"},
                {"bed.aac", "audio/aac", "aac"}, {"bed.m4a", "audio/mp4", "aac"}};
        for (String[] kind : kinds) {
            byte[] file = AssetResourceTest.ffmpegFile(kind[0], "-f", "lavfi", "-i", "sine=frequency=440", "-t", "1",
                    "-c:a", kind[2]);
            asAdmin().contentType(kind[1]).body(file).when().post("/api/v1/assets").then().statusCode(201)
                    .body("type", Matchers.equalTo(kind[1])).body("durationMs", Matchers.greaterThan(0));
        }
        asAdmin().contentType("audio/mpeg").body(AssetResourceTest.png(8, 8, false)).when().post("/api/v1/assets")
                .then().statusCode(400);
        byte[] silentClip = AssetResourceTest.ffmpegFile("mute.mp4", "-f", "lavfi", "-i", "color=c=red:s=64x64:r=5",
                "-t", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p");
        asAdmin().contentType("audio/mp4").body(silentClip).when().post("/api/v1/assets").then().statusCode(400)
                .body("message", Matchers.containsString("no sound track"));
    }

    @Test
    void anAudioLayerIsCheckedLikeAVideoLayer() throws Exception {
        String base = """
                {"name":"bad-audio","video":{"width":320,"height":180,"fps":30},"scene":{"layers":[%s]}}""";
        asAdmin().contentType(ContentType.JSON).body(base.formatted("""
                {"type":"audio","id":"bed","source":"rtmp://gateway.example/live/x","volume":2.5}"""))
                .when().post("/api/v1/streams").then().statusCode(400)
                .body("field", Matchers.equalTo("scene.layers[0].volume"));
        asAdmin().contentType(ContentType.JSON).body(base.formatted("""
                {"type":"audio","id":"bed","source":"rtmp://gateway.example/live/x","x":10}"""))
                .when().post("/api/v1/streams").then().statusCode(400);
        asAdmin().contentType(ContentType.JSON).body(base.formatted("""
                {"type":"audio","id":"bed","source":"rtmp://169.254.169.254/live/x"}"""))
                .when().post("/api/v1/streams").then().statusCode(400)
                .body("field", Matchers.equalTo("scene.layers[0].source"));
        String picture = upload(AssetResourceTest.png(8, 8, false), "image/png");
        asAdmin().contentType(ContentType.JSON).body(base.formatted("""
                {"type":"audio","id":"bed","source":"asset:%s"}""".formatted(picture)))
                .when().post("/api/v1/streams").then().statusCode(400)
                .body("field", Matchers.equalTo("scene.layers[0].source"))
                .body("message", Matchers.containsString("no sound"));
    }
}
