package io.streammanager.gateway.it;

import io.streammanager.bus.testing.ExternalProcess;

import static io.streammanager.gateway.it.ItSupport.await;
import static io.streammanager.gateway.it.ItSupport.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streammanager.gateway.relay.LiveStream;
import io.streammanager.gateway.rtmp.message.MessageType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Odd but legal clients through the real server: a scripted publisher that skips releaseStream/FCPublish, changes
 * its chunk size mid-stream, crosses into extended timestamps, interleaves a whole message of one chunk stream
 * between the type-0 and type-3 chunks of another, aborts half-sent messages and sends metadata near the limit;
 * FFmpeg decodes what we relay. Also: metadata over the limit, several streams on one connection (more in
 * {@link MultiStreamIntegrationTest}), and FFmpeg
 * publishing with timestamps past 0xFFFFFF.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class OddClientsIntegrationTest extends GatewayIT {

    /** gateway.limits.max-metadata-size's default. */
    static final int METADATA_LIMIT = 65536;
    static final int VIDEO_CSID = 6;
    static final int AUDIO_CSID = 4;
    static final int ABORTED_CSID = 7;

    private int port() {
        return server.actualPort();
    }

    /** @setDataFrame onMetaData with a padding property bringing the payload to {@code size} bytes. */
    static byte[] metadata(int size) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("width", 320.0);
        meta.put("height", 180.0);
        meta.put("framerate", 30.0);
        meta.put("videocodecid", 7.0);
        meta.put("audiocodecid", 10.0);
        meta.put("padding", "");
        int base = ScriptedRtmpClient.amf("@setDataFrame", "onMetaData", meta).length;
        meta.put("padding", "x".repeat(size - base));
        byte[] payload = ScriptedRtmpClient.amf("@setDataFrame", "onMetaData", meta);
        // past 65535 bytes the padding becomes an AMF0 long string, with a 4-byte length instead of 2
        meta.put("padding", "x".repeat(size - base - (payload.length - size)));
        payload = ScriptedRtmpClient.amf("@setDataFrame", "onMetaData", meta);
        assertEquals(size, payload.length);
        return payload;
    }

    @Test
    void oddButLegalChunkingIsRelayedIntactAndFfmpegDecodesIt() throws Exception {
        Path source = dir.resolve("source.flv");
        try (ExternalProcess encode = ExternalProcess.start("encode", dir, Clients.flvFile(source.toString(), 8))) {
            assertTrue(encode.waitFor(Duration.ofSeconds(60)), encode.tail());
            assertEquals(0, encode.exitCode(), encode.tail());
        }
        List<FlvFile.Tag> tags = FlvFile.read(source).stream().filter(t -> t.audio() || t.video()).toList();
        String key = createKey("odd");
        double limitErrors = metric("rtmp_errors_total{category=\"limit\"}");
        try (ScriptedRtmpClient publisher = ScriptedRtmpClient.open(port()).connect(port())) {
            // connect, createStream, publish: no releaseStream, no FCPublish
            int streamId = publisher.createStream();
            assertEquals("NetStream.Publish.Start", publisher.publish(streamId, "odd?key=" + key).code());
            publisher.send(5, MessageType.DATA_AMF0, streamId, 0, metadata(METADATA_LIMIT - 16));

            try (ScriptedRtmpClient watcher = ScriptedRtmpClient.open(port()).connect(port());
                 ExternalProcess player = ExternalProcess.start("play-odd", dir, Clients.play(ItSupport.url(port(), "odd"), 150))) {
                assertEquals("NetStream.Play.Start", watcher.play(watcher.createStream(), "odd").code());
                await("the ffmpeg player attached", Duration.ofSeconds(20),
                        () -> streams.find("odd").map(LiveStream::playerCount).orElse(0) == 2 || !player.alive());

                int[] chunkSizes = {4096, 1000, 77, 65536, 128, 333};
                long base = 0xFFFFFFL - 3000; // crosses into extended timestamps three seconds in
                long start = System.nanoTime();
                int videoSent = 0;
                int aborted = 0;
                int interleaved = 0;
                boolean oversizedSent = false;
                for (int i = 0; i < tags.size(); i++) {
                    FlvFile.Tag tag = tags.get(i);
                    long dueNs = start + tag.timestamp() * 1_000_000;
                    while (System.nanoTime() < dueNs) {
                        Thread.sleep(Math.max(1, (dueNs - System.nanoTime()) / 1_000_000));
                    }
                    if (i % 40 == 0) {
                        publisher.setChunkSize(chunkSizes[i / 40 % chunkSizes.length]);
                    }
                    if (i % 25 == 0) { // the first chunk of a bogus keyframe, then Abort: it must never reach a player
                        byte[] bogus = new byte[publisher.outChunkSize() * 2];
                        bogus[0] = 0x17;
                        bogus[1] = 1;
                        publisher.raw(publisher.chunks(ABORTED_CSID, MessageType.VIDEO, streamId, base + tag.timestamp(), bogus, 0, 1, true));
                        publisher.abort(ABORTED_CSID);
                        aborted++;
                    }
                    int csid = tag.video() ? VIDEO_CSID : AUDIO_CSID;
                    long ts = base + tag.timestamp();
                    FlvFile.Tag next = i + 1 < tags.size() ? tags.get(i + 1) : null;
                    if (tag.video() && next != null && next.audio() && tag.data().length > publisher.outChunkSize()) {
                        // video's type-0 chunk, the whole next audio message (type 0 on its own chunk stream), then
                        // video's type-3 continuations
                        publisher.raw(publisher.chunks(csid, tag.typeId(), streamId, ts, tag.data(), 0, 1, true));
                        publisher.send(AUDIO_CSID, next.typeId(), streamId, base + next.timestamp(), next.data());
                        publisher.raw(publisher.chunks(csid, tag.typeId(), streamId, ts, tag.data(), 1, Integer.MAX_VALUE / 2, false));
                        interleaved++;
                        videoSent++;
                        i++;
                        continue;
                    }
                    publisher.send(csid, tag.typeId(), streamId, ts, tag.data());
                    if (tag.video()) {
                        videoSent++;
                    }
                    if (!oversizedSent && i >= tags.size() / 2) { // meanwhile, metadata over the limit costs only its own connection
                        try (ScriptedRtmpClient big = ScriptedRtmpClient.open(port()).connect(port())) {
                            String bigKey = createKey("big-meta");
                            int bigStream = big.createStream();
                            assertEquals("NetStream.Publish.Start", big.publish(bigStream, "big-meta?key=" + bigKey).code());
                            big.send(5, MessageType.DATA_AMF0, bigStream, 0, metadata(METADATA_LIMIT + 4000));
                            await("the oversized metadata's connection closed", Duration.ofSeconds(5), big::closedByPeer);
                        }
                        oversizedSent = true;
                    }
                }
                assertTrue(oversizedSent);
                assertTrue(aborted > 3 && interleaved > 3, "aborted " + aborted + ", interleaved " + interleaved);
                int expectedVideo = videoSent;
                await("every video message relayed", Duration.ofSeconds(10), () -> watcher.videoMessages() >= expectedVideo);
                assertEquals(videoSent, watcher.videoMessages(), "no aborted message relayed, none lost");
                assertTrue(watcher.lastVideoTimestamp() > 0xFFFFFFL, "extended timestamps relayed: " + watcher.lastVideoTimestamp());
                assertTrue(player.waitFor(Duration.ofSeconds(30)), player.tail());
                assertEquals(0, player.exitCode(), player.tail());
                assertTrue(Clients.framesDecoded(player.output()) >= 150, player.tail());
                assertFalse(publisher.closedByPeer());
            }
        }
        assertEquals(limitErrors + 1, metric("rtmp_errors_total{category=\"limit\"}"), 0.0);
        assertFalse(published("big-meta"));
    }

    @Test
    void aSecondStreamOnAnotherMessageStreamIsServedAndOnTheSameOneRefused() throws Exception {
        String keyA = createKey("multi-a");
        String keyB = createKey("multi-b");
        try (ScriptedRtmpClient client = ScriptedRtmpClient.open(port()).connect(port())) {
            int first = client.createStream();
            assertEquals("NetStream.Publish.Start", client.publish(first, "multi-a?key=" + keyA).code());
            var refused = client.publish(first, "multi-b?key=" + keyB);
            assertEquals("NetStream.Publish.BadName", refused.code());
            assertEquals(first, refused.streamId());
            assertTrue(refused.description().contains("message stream " + first + " already publishes multi-a"), refused.description());
            assertFalse(client.closedByPeer(), "a refused second publish on a busy id leaves the first one running");

            int second = client.createStream();
            assertEquals(first + 1, second);
            assertEquals("NetStream.Publish.Start", client.publish(second, "multi-b?key=" + keyB).code());
            assertTrue(published("multi-a") && published("multi-b"));
            var playRefused = client.play(second, "multi-a");
            assertEquals("NetStream.Play.Failed", playRefused.code());
            assertEquals(second, playRefused.streamId());

            client.deleteStream(first);
            await("multi-a unpublished", Duration.ofSeconds(5), () -> !published("multi-a"));
            assertTrue(published("multi-b"), "deleteStream of one id leaves the other publishing");
            int third = client.createStream();
            assertEquals(first, third, "the deleted id is handed out again");
            assertEquals("NetStream.Play.Start", client.play(third, "multi-a").code());
            assertFalse(client.closedByPeer());
        }
    }

    @Test
    void ffmpegPublishingWithTimestampsPastTwentyFourBitsIsRelayedWithThemAndDecoded() throws Exception {
        String key = createKey("late-clock");
        String url = ItSupport.url(port(), "late-clock");
        // 16800 s = 16 800 000 ms > 0xFFFFFF (16 777 215): every message carries an extended timestamp
        try (ExternalProcess publisher = ExternalProcess.start("publish-offset", dir,
                Clients.publish(url + "?key=" + key, 40, "-output_ts_offset", "16800"))) {
            await("a publisher on late-clock", Duration.ofSeconds(20), () -> published("late-clock") || !publisher.alive());
            assertTrue(publisher.alive(), publisher.tail());
            try (ScriptedRtmpClient watcher = ScriptedRtmpClient.open(port()).connect(port());
                 ExternalProcess player = ExternalProcess.start("play-offset", dir, Clients.play(url, 60))) {
                assertEquals("NetStream.Play.Start", watcher.play(watcher.createStream(), "late-clock").code());
                assertTrue(player.waitFor(Duration.ofSeconds(40)), player.tail());
                assertEquals(0, player.exitCode(), player.tail());
                assertTrue(Clients.framesDecoded(player.output()) >= 60, player.tail());
                await("video at the watcher", Duration.ofSeconds(10), () -> watcher.videoMessages() > 10);
                assertTrue(watcher.lastVideoTimestamp() >= 16_800_000L, "timestamp " + watcher.lastVideoTimestamp());
            }
        }
    }
}
