package io.streammanager.gateway.rtmp.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streammanager.gateway.rtmp.RtmpException;
import io.streammanager.gateway.rtmp.amf0.Amf0EcmaArray;
import io.streammanager.gateway.rtmp.amf0.Amf0Writer;
import io.streammanager.gateway.rtmp.message.MessageType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerSessionTest {

    private static void connect(FakeClient client, String tcUrl) {
        client.handshake();
        client.command(0, "connect", 1.0, Map.of("app", "live", "tcUrl", tcUrl));
    }

    @Test
    void connectIsAnsweredInOneWriteWithWindowBandwidthChunkSizeAndResult() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            assertEquals(2, client.writeSizes.size(), "S0S1S2, then the whole connect reply in one write");
            List<FakeClient.Reply> replies = client.replies();
            assertEquals(List.of(MessageType.WINDOW_ACK_SIZE, MessageType.SET_PEER_BANDWIDTH, MessageType.SET_CHUNK_SIZE,
                    MessageType.COMMAND_AMF0), replies.stream().map(FakeClient.Reply::typeId).toList());
            List<Object> result = replies.get(3).amf();
            assertEquals("_result", result.get(0));
            assertEquals(1.0, result.get(1));
            assertEquals("NetConnection.Connect.Success", ((Map<?, ?>) result.get(3)).get("code"));
            assertEquals(4096, client.session.outChunkSize());
        }
    }

    @Test
    void publishTakesTheKeyFromTheStreamNameAndStartsOnAccept() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            client.command(0, "releaseStream", 2.0, null, "cam?key=s3cret");
            client.command(0, "FCPublish", 3.0, null, "cam?key=s3cret");
            client.command(0, "createStream", 4.0, null);
            client.command(1, "publish", 5.0, null, "cam?key=s3cret", "live");
            assertEquals(List.of(new PublishRequest("live", "cam", "s3cret", "live")), client.publishRequests);
            assertTrue(!client.publishRequests.get(0).toString().contains("s3cret"), "the key never shows in toString");
            client.replies();
            client.acceptPublish();
            List<FakeClient.Reply> replies = client.replies();
            assertEquals(MessageType.USER_CONTROL, replies.get(0).typeId());
            assertEquals("NetStream.Publish.Start", ((Map<?, ?>) replies.get(1).amf().get(3)).get("code"));
            assertEquals(ServerSession.Role.PUBLISHER, client.session.role(1));
        }
    }

    /** The info codes of the onStatus/_result/_error replies, in order. */
    private static List<String> codes(List<FakeClient.Reply> replies) {
        return replies.stream().filter(r -> r.amf().size() > 3 && r.amf().get(3) instanceof Map)
                .map(r -> (String) ((Map<?, ?>) r.amf().get(3)).get("code")).toList();
    }

    private static List<Integer> statusStreamIds(List<FakeClient.Reply> replies, String code) {
        return replies.stream().filter(r -> r.amf().size() > 3 && r.amf().get(3) instanceof Map<?, ?> info
                && code.equals(info.get("code"))).map(FakeClient.Reply::streamId).toList();
    }

    private static int createStream(FakeClient client, double transactionId) {
        client.replies();
        client.command(0, "createStream", transactionId, null);
        List<Object> result = client.replies().getFirst().amf();
        assertEquals(List.of("_result", transactionId), result.subList(0, 2));
        return ((Double) result.get(3)).intValue();
    }

    @Test
    void aSecondPublishOrPlayOnABusyMessageStreamIsRefusedWithAStatusAndAfterDeleteStreamAllowed() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            client.command(1, "publish", 2.0, null, "a", "live");
            client.command(1, "publish", 3.0, null, "b", "live"); // still being decided: refused too
            assertEquals(1, client.publishRequests.size());
            assertTrue(client.acceptPublish());
            client.command(1, "play", 4.0, null, "c");
            assertEquals(0, client.playRequests.size());
            List<FakeClient.Reply> replies = client.replies();
            assertEquals(List.of("NetConnection.Connect.Success", "NetStream.Publish.BadName", "NetStream.Publish.Start",
                    "NetStream.Play.Failed"), codes(replies));
            String refusal = (String) ((Map<?, ?>) replies.stream().filter(r -> codes(List.of(r)).equals(List.of("NetStream.Play.Failed")))
                    .findFirst().orElseThrow().amf().get(3)).get("description");
            assertTrue(refusal.contains("message stream 1 already publishes a"), refusal);
            assertEquals(ServerSession.Role.PUBLISHER, client.session.role(1), "the first stream goes on");
            client.command(0, "deleteStream", 5.0, null, 1.0);
            assertEquals(List.of(1), client.unpublishedIds);
            client.command(1, "play", 6.0, null, "c");
            assertEquals(List.of(new PlayRequest("live", "c", null, null)), client.playRequests);
        }
    }

    @Test
    void aStreamStoppedByTheServerIsToldOnItsOwnIdAndItsIdIsFreeAgain() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            client.command(1, "publish", 2.0, null, "a", "live");
            assertTrue(client.acceptPublish(1));
            client.command(2, "play", 3.0, null, "b");
            assertTrue(client.acceptPlay(2));
            client.replies();

            client.session.stopStream(2, "stopped by the operator");
            List<FakeClient.Reply> replies = client.replies();
            assertEquals(MessageType.USER_CONTROL, replies.get(0).typeId(), "Stream EOF first");
            assertEquals(List.of("NetStream.Play.Stop"), codes(replies));
            assertEquals(2, replies.get(1).streamId(), "on the stopped stream's id");
            assertEquals(ServerSession.Role.NONE, client.session.role(2));
            assertEquals(ServerSession.Role.PUBLISHER, client.session.role(1), "the other stream goes on");

            client.session.stopStream(1, "stopped by the operator");
            assertEquals(List.of("NetStream.Publish.Denied"), codes(client.replies()));
            client.command(1, "publish", 4.0, null, "a", "live");
            assertEquals(2, client.publishRequests.size(), "the id takes a new publish");
            client.session.stopStream(3, "never used");
            assertEquals(List.of(), client.replies(), "nothing for a stream that neither publishes nor plays");
        }
    }

    @Test
    void createStreamHandsOutOneTwoThreeAndReusesADeletedId() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            assertEquals(1, createStream(client, 4.0));
            assertEquals(2, createStream(client, 5.0));
            assertEquals(3, createStream(client, 6.0));
            client.command(0, "deleteStream", 7.0, null, 2.0);
            assertEquals(2, createStream(client, 8.0));
            assertEquals(4, createStream(client, 9.0));
        }
    }

    @Test
    void createStreamBeyondTheLimitGetsAnErrorAndTheRunningStreamsGoOn() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            int max = SessionSettings.DEFAULTS.maxStreams();
            for (int i = 1; i <= max; i++) {
                assertEquals(i, createStream(client, 10.0 + i));
            }
            client.command(1, "publish", 2.0, null, "a", "live");
            assertTrue(client.acceptPublish(1));
            client.replies();
            client.command(0, "createStream", 99.0, null);
            List<FakeClient.Reply> replies = client.replies();
            assertEquals(1, replies.size());
            assertEquals(List.of("_error", 99.0), replies.getFirst().amf().subList(0, 2));
            assertEquals("NetConnection.Call.Failed", codes(replies).getFirst());
            assertEquals(1, client.limits.size());
            assertTrue(client.limits.getFirst().contains("already has " + max + " streams open"), client.limits.getFirst());
            assertEquals(ServerSession.Role.PUBLISHER, client.session.role(1), "the publish on 1 is untouched");
            // a publish on an id nobody handed out, past the limit, is refused with a status too
            client.command(max + 5, "publish", 3.0, null, "z", "live");
            assertEquals(List.of("NetStream.Publish.BadName"), codes(client.replies()));
            assertEquals(1, client.publishRequests.size());
            client.command(0, "deleteStream", 4.0, null, 3.0);
            assertEquals(3, createStream(client, 100.0), "a deleted id makes room again");
        }
    }

    @Test
    void idsAClientPicksWithoutCreateStreamCountTowardsTheLimit() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            int max = SessionSettings.DEFAULTS.maxStreams();
            for (int i = 0; i < max; i++) {
                client.command(100 + i, "play", 2.0 + i, null, "s" + i);
            }
            assertEquals(max, client.playRequests.size());
            client.replies();
            client.command(0, "createStream", 50.0, null);
            assertEquals("_error", client.replies().getFirst().amf().getFirst());
            assertEquals(1, client.limits.size());
        }
    }

    @Test
    void twoPublishesOnIdsOneAndTwoRunTogetherWithMediaRoutedByMessageStreamId() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            int first = createStream(client, 2.0);
            int second = createStream(client, 3.0);
            client.command(first, "publish", 4.0, null, "cam-a?key=ka", "live");
            client.command(second, "publish", 5.0, null, "cam-b?key=kb", "live");
            assertEquals(List.of(new PublishRequest("live", "cam-a", "ka", "live"), new PublishRequest("live", "cam-b", "kb", "live")),
                    client.publishRequests);
            assertTrue(client.acceptPublish(second));
            assertTrue(client.acceptPublish(first));
            List<FakeClient.Reply> replies = client.replies();
            assertEquals(List.of(second, first), statusStreamIds(replies, "NetStream.Publish.Start"));
            List<Integer> streamBegins = replies.stream().filter(r -> r.typeId() == MessageType.USER_CONTROL)
                    .map(r -> ((r.raw()[2] & 0xFF) << 24) | ((r.raw()[3] & 0xFF) << 16) | ((r.raw()[4] & 0xFF) << 8) | (r.raw()[5] & 0xFF))
                    .toList();
            assertEquals(List.of(second, first), streamBegins, "Stream Begin names each message stream");
            client.send(6, MessageType.VIDEO, first, 40, Unpooled.wrappedBuffer(new byte[10]));
            client.send(7, MessageType.VIDEO, second, 41, Unpooled.wrappedBuffer(new byte[20]));
            client.send(6, MessageType.VIDEO, 3, 42, Unpooled.wrappedBuffer(new byte[30])); // id 3 publishes nothing: dropped
            assertEquals(List.of("9@40 10", "2:9@41 20"), client.media);
            assertEquals(ServerSession.Role.PUBLISHER, client.session.role(first));
            assertEquals(ServerSession.Role.PUBLISHER, client.session.role(second));
            assertEquals("cam-b", client.session.streamName(second));
            assertTrue(client.session.context().contains("streams=[1 publish cam-a, 2 publish cam-b]"), client.session.context());
        }
    }

    @Test
    void deleteStreamOfOneLeavesTheOtherRunning() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            int first = createStream(client, 2.0);
            int second = createStream(client, 3.0);
            client.command(first, "publish", 4.0, null, "cam-a", "live");
            client.command(second, "publish", 5.0, null, "cam-b", "live");
            client.acceptPublish(first);
            client.acceptPublish(second);
            client.command(0, "deleteStream", 6.0, null, (double) first);
            assertEquals(List.of(first), client.unpublishedIds);
            assertEquals(ServerSession.Role.NONE, client.session.role(first));
            assertEquals(ServerSession.Role.PUBLISHER, client.session.role(second));
            client.send(6, MessageType.VIDEO, first, 40, Unpooled.wrappedBuffer(new byte[10]));
            client.send(7, MessageType.VIDEO, second, 41, Unpooled.wrappedBuffer(new byte[20]));
            assertEquals(List.of("2:9@41 20"), client.media);
            // FCUnpublish names its stream: it stops cam-b, not whatever runs on id 1
            client.command(0, "FCUnpublish", 7.0, null, "cam-b?key=x");
            assertEquals(List.of(first, second), client.unpublishedIds);
            assertEquals(ServerSession.Role.NONE, client.session.role(second));
            assertEquals(0, client.session.activeStreams());
        }
    }

    @Test
    void publishOnOneIdAndPlayOnAnotherAnswerOnTheirOwnIds() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            int first = createStream(client, 2.0);
            int second = createStream(client, 3.0);
            client.command(first, "publish", 4.0, null, "out", "live");
            client.command(second, "play", 5.0, null, "in", -2000.0);
            assertEquals(1, client.publishRequests.size());
            assertEquals(1, client.playRequests.size());
            assertTrue(client.acceptPublish(first));
            assertTrue(client.acceptPlay(second));
            List<FakeClient.Reply> replies = client.replies();
            assertEquals(List.of(first), statusStreamIds(replies, "NetStream.Publish.Start"));
            assertEquals(List.of(second), statusStreamIds(replies, "NetStream.Play.Start"));
            assertEquals(List.of(second), statusStreamIds(replies, "NetStream.Play.Reset"));
            assertTrue(replies.stream().anyMatch(r -> r.typeId() == MessageType.DATA_AMF0 && r.streamId() == second
                    && "|RtmpSampleAccess".equals(r.amf().getFirst())));
            client.session.endPlay(second, "in is no longer published");
            assertEquals(List.of(second), statusStreamIds(client.replies(), "NetStream.Play.UnpublishNotify"));
            client.session.endPlay(first, "not a player: nothing sent");
            assertTrue(client.replies().isEmpty());
            client.command(second, "closeStream", 0.0, null);
            assertEquals(List.of(second), client.playStoppedIds);
            assertEquals(ServerSession.Role.PUBLISHER, client.session.role(first));
            assertEquals(1, client.session.activeStreams());
        }
    }

    @Test
    void anAnswerToARequestDeletedMeanwhileIsNotSent() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            client.command(1, "publish", 4.0, null, "cam", "live");
            PublishRequest request = client.lastPublish.get(1);
            assertTrue(client.session.pending(1, request));
            client.command(0, "deleteStream", 5.0, null, 1.0);
            assertFalse(client.session.pending(1, request));
            client.replies();
            assertFalse(client.session.acceptPublish(1, request));
            assertTrue(client.replies().isEmpty());
            assertEquals(List.of(), client.unpublishedIds, "nothing was published, so nothing stops");
        }
    }

    @Test
    void publishFallsBackToTheKeyInTheConnectUrl() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live?key=fromurl");
            client.command(1, "publish", 5.0, null, "cam", "live");
            assertEquals("fromurl", client.publishRequests.get(0).key());
        }
    }

    @Test
    void refusedPublishGetsAnErrorStatusWithDescription() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            client.command(1, "publish", 5.0, null, "cam?key=bad", "live");
            client.replies();
            client.session.refusePublish(1, Status.PUBLISH_BAD_AUTH, "unknown stream key");
            Map<?, ?> info = (Map<?, ?>) client.replies().get(0).amf().get(3);
            assertEquals("error", info.get("level"));
            assertEquals("NetStream.Publish.BadAuth", info.get("code"));
            assertEquals("unknown stream key", info.get("description"));
        }
    }

    @Test
    void setDataFrameIsStoredAsOnMetaDataAndMediaIsPassedOn() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            client.command(1, "publish", 5.0, null, "cam?key=k", "live");
            client.acceptPublish();
            ByteBuf data = Unpooled.buffer();
            Amf0Writer.writeAll(data, "@setDataFrame", "onMetaData", new Amf0EcmaArray(Map.of("width", 640.0)));
            client.send(5, MessageType.DATA_AMF0, 1, 0, data);
            client.send(6, MessageType.VIDEO, 1, 40, Unpooled.wrappedBuffer(new byte[300]));
            assertEquals(List.of("18@0 metadata [onMetaData, Amf0EcmaArray[entries={width=640.0}]]", "9@40 300"), client.media);
        }
    }

    @Test
    void appliesThePeersChunkSizeToTheFollowingChunks() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            client.command(1, "publish", 5.0, null, "cam?key=k", "live");
            client.acceptPublish();
            client.send(2, MessageType.SET_CHUNK_SIZE, 0, 0, Unpooled.buffer().writeInt(1000));
            ByteBuf big = Unpooled.buffer();
            io.streammanager.gateway.rtmp.chunk.ChunkEncoder.encode(6, 9, 1, 7, Unpooled.wrappedBuffer(new byte[900]), 1000, big);
            client.session.receive(big);
            assertEquals(List.of("9@7 900"), client.media);
        }
    }

    @Test
    void answersPingRequestsAndAcknowledgesAfterThePeersWindow() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            client.replies();
            client.send(2, MessageType.USER_CONTROL, 0, 0, Unpooled.buffer().writeShort(6).writeInt(1234));
            FakeClient.Reply pong = client.replies().get(0);
            assertEquals(MessageType.USER_CONTROL, pong.typeId());
            assertEquals(7, ((pong.raw()[0] & 0xFF) << 8) | (pong.raw()[1] & 0xFF));
            client.send(2, MessageType.WINDOW_ACK_SIZE, 0, 0, Unpooled.buffer().writeInt(100));
            client.command(0, "createStream", 4.0, null);
            assertTrue(client.replies().stream().anyMatch(r -> r.typeId() == MessageType.ACKNOWLEDGEMENT));
        }
    }

    @Test
    void errorsCarryTheSessionContext() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            client.command(1, "publish", 5.0, null, "x?key=k", "live");
            client.acceptPublish();
            ByteBuf huge = Unpooled.buffer();
            io.streammanager.gateway.rtmp.chunk.ChunkEncoder.encode(6, 9, 1, 0, Unpooled.wrappedBuffer(new byte[1]), 128, huge);
            huge.setMedium(4, 5_000_000); // announce a 5 MB message
            RtmpException e = assertThrows(RtmpException.class, () -> client.session.receive(huge));
            assertTrue(e.getMessage().startsWith("rtmp: publish app=live stream=x: chunk: csid=6 type=9: message length 5000000 exceeds limit 4194304"),
                    e.getMessage());
        }
    }

    @Test
    void commandsBeforeConnectAreAProtocolError() {
        try (FakeClient client = new FakeClient()) {
            client.handshake();
            RtmpException e = assertThrows(RtmpException.class, () -> client.command(0, "createStream", 2.0, null));
            assertEquals(RtmpException.Category.PROTOCOL, e.category());
        }
    }

    @Test
    void fcUnpublishEndsThePublish() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            client.command(1, "publish", 5.0, null, "cam?key=k", "live");
            client.acceptPublish();
            client.command(0, "FCUnpublish", 6.0, null, "cam");
            client.command(0, "deleteStream", 7.0, null, 1.0);
            assertEquals(1, client.unpublished);
            assertEquals(ServerSession.Role.NONE, client.session.role(1));
        }
    }

    @Test
    void streamNameParsingAndMasking() {
        assertEquals(new StreamName("t", "a b"), StreamName.parse("t?x=1&key=a%20b"));
        assertNull(StreamName.parse("t").key());
        assertEquals("rtmp://h/live/t?key=***&x=1", StreamName.mask("rtmp://h/live/t?key=abc&x=1"));
        assertEquals("t?key=***", StreamName.parse("t?key=abc").toString());
        assertEquals("rtmp://h/live/t?token=***&key=***", StreamName.mask("rtmp://h/live/t?token=1.abc&key=k"));
    }

    @Test
    void aPlayTokenRidesOnThePlayNameOrTheTcUrlAndNeverInToString() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            client.command(0, "play", 4.0, null, "cam?token=123.sig%2D");
            PlayRequest request = client.playRequests.getFirst();
            assertEquals("cam", request.streamName());
            assertEquals("123.sig-", request.token());
            assertNull(request.key());
            assertFalse(request.toString().contains("sig"), request.toString());
        }
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live?token=456.t");
            client.command(0, "play", 4.0, null, "cam");
            assertEquals("456.t", client.playRequests.getFirst().token());
        }
    }
}
