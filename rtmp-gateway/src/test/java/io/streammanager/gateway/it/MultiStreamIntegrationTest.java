package io.streammanager.gateway.it;

import io.streammanager.bus.testing.ExternalProcess;

import static io.streammanager.bus.testing.TestApiTokens.asAdmin;
import static io.streammanager.gateway.it.ItSupport.await;
import static io.streammanager.gateway.it.ItSupport.metric;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streammanager.gateway.relay.LiveStream;
import io.streammanager.gateway.rtmp.message.MessageType;
import io.streammanager.gateway.server.SessionInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * Several NetStreams on one RTMP connection through the real server: one scripted connection publishes two streams
 * (real H.264/AAC tags from FLV files ffmpeg made) on message streams 1 and 2 while independent ffmpeg players decode
 * each and a second scripted connection plays both on its own ids 1 and 2; a connection publishes one stream and plays
 * another; deleteStream of one id leaves the other running; createStream beyond the limit gets _error.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class MultiStreamIntegrationTest extends GatewayIT {

    /** gateway.limits.max-streams-per-connection's default. */
    static final int MAX_STREAMS = 8;

    /** One tag of a stream to send on message stream {@code streamId}, chunk streams by stream so they interleave. */
    record Outgoing(int streamId, int videoCsid, int audioCsid, FlvFile.Tag tag) {
    }

    private int port() {
        return server.actualPort();
    }

    private int players(String name) {
        return streams.find(name).map(LiveStream::playerCount).orElse(0);
    }

    private List<FlvFile.Tag> flv(String file, int seconds, String size, int frequencyHz) throws Exception {
        Path path = dir.resolve(file);
        try (ExternalProcess encode = ExternalProcess.start("encode-" + file, dir, Clients.flvFile(path.toString(), seconds, size, frequencyHz))) {
            assertTrue(encode.waitFor(Duration.ofSeconds(90)), encode.tail());
            assertEquals(0, encode.exitCode(), encode.tail());
        }
        return FlvFile.read(path).stream().filter(t -> t.audio() || t.video()).toList();
    }

    private static List<Outgoing> merged(List<Outgoing> a, List<Outgoing> b) {
        List<Outgoing> all = new ArrayList<>(a);
        all.addAll(b);
        all.sort(Comparator.comparingLong(o -> o.tag().timestamp())); // stable: a before b at equal times
        return all;
    }

    private static List<Outgoing> on(int streamId, int videoCsid, int audioCsid, List<FlvFile.Tag> tags) {
        return tags.stream().map(t -> new Outgoing(streamId, videoCsid, audioCsid, t)).toList();
    }

    /**
     * Sends {@code tags} at their timestamps (real time); stops sending a message stream once {@code stopped} says so
     * for it. Returns the video messages sent per message stream id.
     */
    private static Map<Integer, Integer> sendInRealTime(ScriptedRtmpClient publisher, List<Outgoing> tags,
                                                        IntPredicate stopped) throws Exception {
        Map<Integer, Integer> videoSent = new java.util.TreeMap<>();
        long start = System.nanoTime();
        for (Outgoing out : tags) {
            long dueNs = start + out.tag().timestamp() * 1_000_000;
            while (System.nanoTime() < dueNs) {
                Thread.sleep(Math.max(1, (dueNs - System.nanoTime()) / 1_000_000));
            }
            if (stopped.test(out.streamId())) {
                continue;
            }
            FlvFile.Tag tag = out.tag();
            publisher.send(tag.video() ? out.videoCsid() : out.audioCsid(), tag.typeId(), out.streamId(), tag.timestamp(), tag.data());
            if (tag.video()) {
                videoSent.merge(out.streamId(), 1, Integer::sum);
            }
        }
        return videoSent;
    }

    private static Set<String> hashes(List<FlvFile.Tag> tags) {
        Set<String> hashes = new HashSet<>();
        tags.forEach(t -> hashes.add(t.typeId() + ":" + Arrays.hashCode(t.data()) + ":" + t.data().length));
        return hashes;
    }

    private static String hash(ScriptedRtmpClient.Message m) {
        return m.typeId() + ":" + Arrays.hashCode(m.payload()) + ":" + m.payload().length;
    }

    /**
     * Every message on {@code streamId} is one of {@code sent}'s and none that only {@code otherSent} has (the two
     * share e.g. their AAC sequence header), timestamps never go back per type, and the video is exactly the first
     * {@code videoCount} video tags of {@code sent}, in order, with their timestamps.
     */
    private static void assertStreamArrivedOnItsId(List<ScriptedRtmpClient.Message> log, int streamId,
                                                   List<FlvFile.Tag> sent, int videoCount, List<FlvFile.Tag> otherSent,
                                                   String name) {
        Set<String> own = hashes(sent);
        Set<String> other = hashes(otherSent);
        other.removeAll(own);
        long[] last = {-1, -1};
        List<String> video = new ArrayList<>();
        for (ScriptedRtmpClient.Message m : log) {
            if (m.streamId() != streamId) {
                continue;
            }
            String h = hash(m);
            assertTrue(own.contains(h), name + ": a message on message stream " + streamId + " that " + name + " never sent");
            assertFalse(other.contains(h), name + ": the other stream's message arrived on message stream " + streamId);
            int type = m.typeId() == MessageType.VIDEO ? 0 : 1;
            assertTrue(m.timestamp() >= last[type], name + ": timestamp " + m.timestamp() + " after " + last[type]);
            last[type] = m.timestamp();
            if (type == 0) {
                video.add(m.timestamp() + "/" + h);
            }
        }
        List<String> expected = sent.stream().filter(FlvFile.Tag::video).limit(videoCount)
                .map(t -> t.timestamp() + "/" + t.typeId() + ":" + Arrays.hashCode(t.data()) + ":" + t.data().length).toList();
        assertEquals(expected, video, name + ": its video, complete and in order, on message stream " + streamId);
    }

    @Test
    void oneConnectionPublishesTwoStreamsThatFfmpegDecodesAndAnotherPlaysBothOnItsOwnIds() throws Exception {
        List<FlvFile.Tag> tagsA = flv("a.flv", 10, "320x180", 440);
        List<FlvFile.Tag> tagsB = flv("b.flv", 10, "160x120", 880);
        String keyA = createKey("two-cams-a");
        String keyB = createKey("two-cams-b");
        try (ScriptedRtmpClient publisher = ScriptedRtmpClient.open(port()).connect(port());
             ScriptedRtmpClient watcher = ScriptedRtmpClient.open(port()).connect(port()).logMedia();
             ExternalProcess playerA = ExternalProcess.start("play-a", dir, Clients.play(url("two-cams-a"), 200));
             ExternalProcess playerB = ExternalProcess.start("play-b", dir, Clients.play(url("two-cams-b"), 90))) {
            int idA = publisher.createStream();
            int idB = publisher.createStream();
            assertEquals(List.of(1, 2), List.of(idA, idB));
            assertEquals("NetStream.Publish.Start", publisher.publish(idA, "two-cams-a?key=" + keyA).code());
            var startB = publisher.publish(idB, "two-cams-b?key=" + keyB);
            assertEquals("NetStream.Publish.Start", startB.code());
            assertEquals(idB, startB.streamId(), "the status names its message stream");
            assertTrue(published("two-cams-a") && published("two-cams-b"));

            int watchA = watcher.createStream();
            int watchB = watcher.createStream();
            assertEquals(watchA, watcher.play(watchA, "two-cams-a").streamId());
            assertEquals(watchB, watcher.play(watchB, "two-cams-b").streamId());
            await("both ffmpeg players attached", Duration.ofSeconds(20),
                    () -> players("two-cams-a") == 2 && players("two-cams-b") == 2 || !playerA.alive() || !playerB.alive());
            assertTrue(playerA.alive() && playerB.alive(), playerA.tail() + playerB.tail());

            // the session API lists the publishing connection once, with both of its streams
            List<SessionInfo> sessions = List.copyOf(connections.sessions());
            SessionInfo both = sessions.stream().filter(s -> s.streams().size() == 2 && "publisher".equals(s.role()))
                    .filter(s -> s.streams().stream().anyMatch(st -> "two-cams-b".equals(st.name()))).findFirst().orElseThrow();
            assertEquals(List.of(new SessionInfo.Stream(1, "two-cams-a", "publisher", "id-two-cams-a"),
                    new SessionInfo.Stream(2, "two-cams-b", "publisher", "id-two-cams-b")), both.streams());
            assertEquals("two-cams-a", both.stream());
            asAdmin().get("/api/v1/sessions/" + both.id()).then().statusCode(200)
                    .body("streams.size()", org.hamcrest.Matchers.is(2))
                    .body("streams[1].messageStreamId", org.hamcrest.Matchers.is(2))
                    .body("streams[1].name", org.hamcrest.Matchers.is("two-cams-b"));

            // B is deleted at six seconds; A runs to the end
            long deleteAtMs = 6000;
            boolean[] deleted = {false};
            long startNs = System.nanoTime();
            Map<Integer, Integer> videoSent = sendInRealTime(publisher, merged(on(idA, 6, 4, tagsA), on(idB, 9, 8, tagsB)), id -> {
                if (id == idB && !deleted[0] && System.nanoTime() - startNs >= deleteAtMs * 1_000_000) {
                    try {
                        publisher.deleteStream(idB);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    deleted[0] = true;
                }
                return id == idB && deleted[0];
            });
            assertTrue(deleted[0]);
            await("two-cams-b unpublished", Duration.ofSeconds(5), () -> !published("two-cams-b"));
            assertTrue(published("two-cams-a"), "deleting message stream 2 left stream 1 publishing");
            assertFalse(publisher.closedByPeer());

            int sentA = videoSent.get(idA);
            int sentB = videoSent.get(idB);
            assertTrue(sentA > 250 && sentB > 150 && sentB < sentA - 60, "video sent A=" + sentA + " B=" + sentB);
            await("every video message at the watcher", Duration.ofSeconds(15),
                    () -> watcher.videoMessages(watchA) >= sentA && watcher.videoMessages(watchB) >= sentB);
            assertEquals(sentA, watcher.videoMessages(watchA), "A's video, all on A's message stream");
            assertEquals(sentB, watcher.videoMessages(watchB), "B's video until its deleteStream, all on B's message stream");
            List<ScriptedRtmpClient.Message> log = watcher.mediaLog();
            assertStreamArrivedOnItsId(log, watchA, tagsA, sentA, tagsB, "two-cams-a");
            assertStreamArrivedOnItsId(log, watchB, tagsB, sentB, tagsA, "two-cams-b");
            assertTrue(log.stream().allMatch(m -> m.streamId() == watchA || m.streamId() == watchB));
            // the first video each got is its own stream's sequence header
            assertArrayEquals(tagsA.stream().filter(FlvFile.Tag::video).findFirst().orElseThrow().data(),
                    log.stream().filter(m -> m.streamId() == watchA && m.typeId() == MessageType.VIDEO).findFirst().orElseThrow().payload());
            assertArrayEquals(tagsB.stream().filter(FlvFile.Tag::video).findFirst().orElseThrow().data(),
                    log.stream().filter(m -> m.streamId() == watchB && m.typeId() == MessageType.VIDEO).findFirst().orElseThrow().payload());

            for (var player : List.of(playerA, playerB)) {
                assertTrue(player.waitFor(Duration.ofSeconds(40)), player.tail());
                assertEquals(0, player.exitCode(), player.tail());
            }
            assertTrue(Clients.framesDecoded(playerA.output()) >= 200, playerA.tail());
            assertTrue(Clients.framesDecoded(playerB.output()) >= 90, playerB.tail());
            assertTrue(playerA.output().contains("320x180"), playerA.tail());
            assertTrue(playerB.output().contains("160x120"), playerB.tail());
            assertFalse(watcher.closedByPeer());
        }
        await("both streams gone once the connections closed", Duration.ofSeconds(10),
                () -> streams.find("two-cams-a").isEmpty() && streams.find("two-cams-b").isEmpty());
    }

    @Test
    void oneConnectionPublishesAWhilePlayingBAndKeepsPlayingAfterDeletingItsPublish() throws Exception {
        List<FlvFile.Tag> tagsA = flv("a.flv", 8, "320x180", 440);
        String keyA = createKey("pub-and-play-a");
        String keyB = createKey("pub-and-play-b");
        try (ExternalProcess publisherB = ExternalProcess.start("publish-b", dir, Clients.publish(url("pub-and-play-b") + "?key=" + keyB, 30))) {
            await("ffmpeg publishes pub-and-play-b", Duration.ofSeconds(20), () -> published("pub-and-play-b") || !publisherB.alive());
            assertTrue(publisherB.alive(), publisherB.tail());
            try (ScriptedRtmpClient both = ScriptedRtmpClient.open(port()).connect(port()).logMedia();
                 ExternalProcess playerA = ExternalProcess.start("play-a", dir, Clients.play(url("pub-and-play-a"), 150))) {
                int publishId = both.createStream();
                int playId = both.createStream();
                assertEquals("NetStream.Publish.Start", both.publish(publishId, "pub-and-play-a?key=" + keyA).code());
                var play = both.play(playId, "pub-and-play-b");
                assertEquals("NetStream.Play.Start", play.code());
                assertEquals(playId, play.streamId());
                await("the ffmpeg player of pub-and-play-a attached", Duration.ofSeconds(20),
                        () -> players("pub-and-play-a") == 1 || !playerA.alive());

                Map<Integer, Integer> sent = sendInRealTime(both, on(publishId, 6, 4, tagsA), id -> false);
                assertTrue(playerA.waitFor(Duration.ofSeconds(40)), playerA.tail());
                assertEquals(0, playerA.exitCode(), playerA.tail());
                assertTrue(Clients.framesDecoded(playerA.output()) >= 150, playerA.tail());
                assertTrue(sent.get(publishId) > 200);

                long playedWhilePublishing = both.videoMessages(playId);
                assertTrue(playedWhilePublishing > 100, "B's video while publishing A: " + playedWhilePublishing);
                assertTrue(both.mediaLog().stream().allMatch(m -> m.streamId() == playId), "media only on the playing id");
                both.deleteStream(publishId);
                await("pub-and-play-a unpublished", Duration.ofSeconds(5), () -> !published("pub-and-play-a"));
                await("B still playing after A's deleteStream", Duration.ofSeconds(10),
                        () -> both.videoMessages(playId) > playedWhilePublishing + 60);
                long[] last = {-1};
                both.mediaLog().stream().filter(m -> m.typeId() == MessageType.VIDEO).forEach(m -> {
                    assertTrue(m.timestamp() >= last[0], "B's video timestamps increase: " + m.timestamp() + " after " + last[0]);
                    last[0] = m.timestamp();
                });
                assertFalse(both.closedByPeer());
                assertEquals(1, players("pub-and-play-b"));
            }
        }
    }

    @Test
    void createStreamBeyondTheLimitGetsAnErrorAndCountsALimitErrorWithoutClosing() throws Exception {
        String key = createKey("limit-cam");
        double limitErrors = metric("rtmp_errors_total{category=\"limit\"}");
        try (ScriptedRtmpClient client = ScriptedRtmpClient.open(port()).connect(port())) {
            for (int i = 1; i <= MAX_STREAMS; i++) {
                assertEquals(i, client.createStream());
            }
            assertEquals("NetStream.Publish.Start", client.publish(MAX_STREAMS, "limit-cam?key=" + key).code());
            double id = client.command(0, "createStream", (Object) null);
            var error = client.await(m -> m.amf().size() >= 4 && "_error".equals(m.amf().get(0))
                    && m.amf().get(1) instanceof Double t && t == id, Duration.ofSeconds(10));
            assertEquals("NetConnection.Call.Failed", error.code());
            assertTrue(error.description().contains("max-streams-per-connection"), error.description());
            assertFalse(client.closedByPeer());
            assertTrue(published("limit-cam"));
            client.deleteStream(3);
            assertEquals(3, client.createStream(), "a deleted id is handed out again");
        }
        assertEquals(limitErrors + 1, metric("rtmp_errors_total{category=\"limit\"}"), 0.0);
    }

    /**
     * StopStream of one stream ends only that stream on a connection that plays two: its message stream hears Stream
     * EOF and NetStream.Play.Stop, the other keeps playing, the connection stays, and the stopped stream's own
     * publisher (alone on its connection) is closed.
     */
    @Test
    void stopStreamEndsOnlyThatStreamOnAConnectionPlayingTwo() throws Exception {
        try (ExternalProcess publisherA = ExternalProcess.start("publish-stop-a", dir,
                     Clients.publish(url("stop-a") + "?key=" + createKey("stop-a"), 40));
             ExternalProcess publisherB = ExternalProcess.start("publish-stop-b", dir,
                     Clients.publish(url("stop-b") + "?key=" + createKey("stop-b"), 40))) {
            await("both published", Duration.ofSeconds(20),
                    () -> published("stop-a") && published("stop-b") || !publisherA.alive() || !publisherB.alive());
            assertTrue(publisherA.alive() && publisherB.alive(), publisherA.tail() + publisherB.tail());
            try (ScriptedRtmpClient viewer = ScriptedRtmpClient.open(port()).connect(port()).logMedia()) {
                int idA = viewer.createStream();
                int idB = viewer.createStream();
                assertEquals("NetStream.Play.Start", viewer.play(idA, "stop-a").code());
                assertEquals("NetStream.Play.Start", viewer.play(idB, "stop-b").code());
                await("video of both", Duration.ofSeconds(15),
                        () -> viewer.videoMessages(idA) >= 30 && viewer.videoMessages(idB) >= 30);

                assertEquals(2, server.stopStream("stop-a", "stopped by the operator"), "its publisher and one player");
                var stopped = viewer.await(m -> "NetStream.Play.Stop".equals(m.code()), Duration.ofSeconds(10));
                assertEquals(idA, stopped.streamId());
                assertEquals("stopped by the operator", stopped.description());
                assertEquals(1, viewer.streamEofs());
                assertTrue(publisherA.waitFor(Duration.ofSeconds(15)), "A's publisher is closed: " + publisherA.tail());

                long bAtStop = viewer.videoMessages(idB);
                long aAtStop = viewer.videoMessages(idA);
                await("B keeps playing", Duration.ofSeconds(10), () -> viewer.videoMessages(idB) >= bAtStop + 60);
                assertEquals(aAtStop, viewer.videoMessages(idA), "nothing more of A");
                assertFalse(viewer.closedByPeer(), "the connection stays for B");
                assertFalse(streams.find("stop-a").isPresent(), "the stopped stream is gone");
                assertEquals(1, players("stop-b"));
                assertTrue(publisherB.alive(), publisherB.tail());
            }
        }
    }
}
