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
            client.session.acceptPublish();
            List<FakeClient.Reply> replies = client.replies();
            assertEquals(MessageType.USER_CONTROL, replies.get(0).typeId());
            assertEquals("NetStream.Publish.Start", ((Map<?, ?>) replies.get(1).amf().get(3)).get("code"));
            assertEquals(ServerSession.Role.PUBLISHER, client.session.role());
        }
    }

    @Test
    void aSecondPublishOrPlayWhileOneRunsIsRefusedWithAStatusAndAfterDeleteStreamAllowed() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            client.command(1, "publish", 2.0, null, "a", "live");
            client.command(1, "publish", 3.0, null, "b", "live"); // still being decided: refused too
            assertEquals(1, client.publishRequests.size());
            client.session.acceptPublish();
            client.command(1, "play", 4.0, null, "c");
            assertEquals(0, client.playRequests.size());
            List<String> codes = client.replies().stream().filter(r -> r.amf().size() > 3 && r.amf().get(3) instanceof Map)
                    .map(r -> (String) ((Map<?, ?>) r.amf().get(3)).get("code")).toList();
            assertEquals(List.of("NetConnection.Connect.Success", "NetStream.Publish.BadName", "NetStream.Publish.Start",
                    "NetStream.Play.Failed"), codes);
            assertEquals(ServerSession.Role.PUBLISHER, client.session.role(), "the first stream goes on");
            client.command(0, "deleteStream", 5.0, null, 1.0);
            assertEquals(1, client.unpublished);
            client.command(1, "play", 6.0, null, "c");
            assertEquals(List.of(new PlayRequest("live", "c", null, null)), client.playRequests);
        }
    }

    @Test
    void createStreamAnswersStreamIdOne() {
        try (FakeClient client = new FakeClient()) {
            connect(client, "rtmp://127.0.0.1/live");
            client.replies();
            client.command(0, "createStream", 4.0, null);
            List<Object> result = client.replies().get(0).amf();
            assertEquals(List.of("_result", 4.0), result.subList(0, 2));
            assertEquals(1.0, result.get(3));
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
            client.session.refusePublish(Status.PUBLISH_BAD_AUTH, "unknown stream key");
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
            client.session.acceptPublish();
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
            client.session.acceptPublish();
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
            client.session.acceptPublish();
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
            client.session.acceptPublish();
            client.command(0, "FCUnpublish", 6.0, null, "cam");
            client.command(0, "deleteStream", 7.0, null, 1.0);
            assertEquals(1, client.unpublished);
            assertEquals(ServerSession.Role.NONE, client.session.role());
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
