package io.streammanager.composition.api;

import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.streammanager.bus.shm.FrameRingReader;
import io.streammanager.bus.shm.FrameView;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.composition.config.CompositionConfig;
import io.streammanager.composition.testing.RedisAndShmResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lip sync, measured: a clip whose picture flashes white and whose sound beeps at the same instants (the first
 * 100 ms of every second) plays as a video layer; the flash onsets are found in the frame ring, the beep onsets in
 * the PCM ring (same pts clock), every second of a clip that also loops (its timeline starts over at 5 s). A flash
 * shows on the first tick after its picture arrives and the sync rule puts the sound where pictures show on average,
 * so a flash is about half a tick of its beep at most, no better in general: a 25 fps clip on a 30 fps clock shows
 * its pictures at five phases 6.7 ms apart (up to 13.3 ms from their centre), and a 30 fps clip whose pictures arrive
 * about when the clock ticks shows some of them a tick late. Which phase a flash gets changes from run to run and
 * loop to loop, and a picture late on a loaded machine shows a tick later still; so each flash must be within a
 * frame and their median within half a tick, and the test logs how many were within {@link #TOLERANCE_US}.
 */
@QuarkusTest
@WithTestResource(RedisAndShmResource.class)
class AudioSyncTest {

    private static final Logger LOG = Logger.getLogger(AudioSyncTest.class);
    private static final int WIDTH = 320;
    private static final int HEIGHT = 180;
    private static final long FRAME_US = 1_000_000 / 30;
    /** An onset needs the frame or slot before it seen, up to three frames back (a loaded clock skips frames). */
    private static final long NEAR_US = 3 * FRAME_US + 1;
    private static final long TOLERANCE_US = 10_000; // reported, not asserted: see above

    @Inject
    CompositionConfig config;

    @AfterEach
    void deleteAll() {
        AssetResourceTest.deleteStreamsAndAssets();
    }

    @ParameterizedTest(name = "{0} fps clip")
    @ValueSource(ints = {30, 25})
    void everyFlashAndItsBeepAreAsCloseAsTheClockCanShowThem(int clipFps) throws Exception {
        byte[] clip = AssetResourceTest.ffmpegFile("flash.mp4", "-f", "lavfi", "-i",
                "color=c=black:s=160x90:r=" + clipFps
                        + ",drawbox=x=0:y=0:w=160:h=90:color=white:t=fill:enable='lt(mod(t,1),0.1)'",
                "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000:samples_per_frame=240",
                "-af", "volume=volume='lt(mod(t,1),0.1)':eval=frame", "-t", "5", "-c:v", "libx264", "-preset",
                "ultrafast", "-pix_fmt", "yuv420p", "-g", Integer.toString(clipFps), "-c:a", "aac", "-b:a", "128k");
        String asset = AudioMixTest.upload(clip, "video/mp4");
        String streamId = asAdmin().contentType(ContentType.JSON).body("""
                {"name":"sync","video":{"width":%d,"height":%d,"fps":30},"scene":{"layers":[
                  {"type":"background","id":"bg","color":"#000000"},
                  {"type":"video","id":"clip","source":"asset:%s","loop":true,"x":0,"y":0,"width":160,"height":90}]}}
                """.formatted(WIDTH, HEIGHT, asset)).when().post("/api/v1/streams").then().statusCode(201)
                .extract().path("id");
        TreeMap<Long, Boolean> white = new TreeMap<>();
        TreeMap<Long, Integer> beepStartInSlot = new TreeMap<>(); // pts -> first loud sample, -1 for none
        try (FrameRingReader pcm = FrameRingReader.open(RingFiles.pcmRing(config.shmDir(), streamId),
                Duration.ofSeconds(5));
             FrameRingReader frames = FrameRingReader.open(RingFiles.frameRing(config.shmDir(), streamId),
                     Duration.ofSeconds(5))) {
            FrameView frame = new FrameView();
            FrameView slot = new FrameView();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            long firstPts = -1;
            while (System.nanoTime() < deadline && (firstPts < 0 || white.lastKey() - firstPts < 7_000_000)) {
                if (frames.await(frame, Duration.ofMillis(200).toNanos()) == FrameRingReader.FRAME) {
                    int luma = frame.pixels().get(JAVA_BYTE, (long) 45 * WIDTH + 80) & 0xFF;
                    if (frames.stillValid(frame)) {
                        white.put(frame.ptsUs(), luma > 200);
                        firstPts = firstPts < 0 ? frame.ptsUs() : firstPts;
                    }
                }
                while (pcm.poll(slot) == FrameRingReader.FRAME) {
                    int first = -1;
                    for (int i = 0; i < slot.sampleCount() && first < 0; i++) {
                        if (Math.abs(slot.pixels().get(PcmCapture.S16_LE, i * 4L)) > 1000) {
                            first = i;
                        }
                    }
                    if (pcm.stillValid(slot)) {
                        beepStartInSlot.put(slot.ptsUs(), first);
                    }
                }
            }
        }
        List<Long> flashes = onsets(white, v -> v);
        List<Long> beeps = new ArrayList<>();
        Long previousPts = null;
        for (var entry : beepStartInSlot.entrySet()) {
            boolean loud = entry.getValue() >= 0;
            boolean quietBefore = previousPts != null && entry.getKey() - previousPts <= NEAR_US
                    && beepStartInSlot.get(previousPts) < 0;
            if (loud && quietBefore) {
                beeps.add(entry.getKey() + entry.getValue() * 1_000_000L / 48_000);
            }
            previousPts = entry.getKey();
        }
        LOG.infof("flash onsets (pts us): %s", flashes);
        LOG.infof("beep onsets (pts us):  %s", beeps);
        List<Long> offsets = new ArrayList<>();
        for (long flash : flashes) {
            // a flash whose onset or beep fell into frames the clock skipped has no pair; a beep a second off
            // would be the next one's
            beeps.stream().filter(beep -> Math.abs(beep - flash) < 500_000)
                    .forEach(beep -> offsets.add(beep - flash));
        }
        LOG.infof("%d fps clip: audio minus video at each flash (us, one frame = %d): %s", clipFps, FRAME_US,
                offsets);
        assertTrue(offsets.size() >= 4 && offsets.size() >= flashes.size() - 1,
                "flashes matched with beeps: " + offsets + " flashes " + flashes + " beeps " + beeps);
        LOG.infof("%d fps clip: %d of %d flashes within %d us", clipFps,
                offsets.stream().filter(offset -> Math.abs(offset) <= TOLERANCE_US).count(), offsets.size(),
                TOLERANCE_US);
        for (long offset : offsets) {
            assertTrue(Math.abs(offset) <= FRAME_US, "sound and picture " + offset + " us apart: " + offsets);
        }
        long medianUs = offsets.stream().map(Math::abs).sorted().toList().get(offsets.size() / 2);
        assertTrue(medianUs <= FRAME_US / 2, "the sound centred on the ticks its pictures show at: median "
                + medianUs + " us of " + offsets);
    }

    /** The pts where {@code on} turns true after a value seen just before ({@link #NEAR_US}) that was false. */
    private static List<Long> onsets(TreeMap<Long, Boolean> values, java.util.function.Predicate<Boolean> on) {
        List<Long> onsets = new ArrayList<>();
        Long previous = null;
        for (var entry : values.entrySet()) {
            if (previous != null && entry.getKey() - previous <= NEAR_US && on.test(entry.getValue())
                    && !on.test(values.get(previous))) {
                onsets.add(entry.getKey());
            }
            previous = entry.getKey();
        }
        return onsets;
    }
}
