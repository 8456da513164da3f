package io.streammanager.gateway.rtmp.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammanager.gateway.rtmp.amf0.Amf0EcmaArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Enhanced RTMP properties of connect: what a client announces, and our answer. */
class EnhancedConnectTest {

    private static Map<?, ?> connect(FakeClient client, Map<String, Object> extra) {
        client.handshake();
        Map<String, Object> properties = new LinkedHashMap<>(Map.of("app", "live", "tcUrl", "rtmp://127.0.0.1/live"));
        properties.putAll(extra);
        client.command(0, "connect", 1.0, properties);
        List<FakeClient.Reply> replies = client.replies();
        return (Map<?, ?>) replies.get(replies.size() - 1).amf().get(2);
    }

    /** What ffmpeg 8.1 sends with -rtmp_enhanced_codecs hvc1,av01: a strict array of FourCC strings. */
    @Test
    void aFourCcListIsRecordedAndAnsweredWithOurOwn() {
        try (FakeClient client = new FakeClient()) {
            Map<?, ?> answer = connect(client, Map.of("fourCcList", List.of("hvc1", "av01")));
            ClientCapabilities capabilities = client.session.capabilities();
            assertTrue(capabilities.signalled());
            assertEquals(Set.of("hvc1", "av01"), capabilities.videoFourCcs());
            assertTrue(capabilities.lists("hvc1"));
            assertFalse(capabilities.lists("vp09"));
            assertEquals(List.of("av01", "vp09", "hvc1", "avc1"), answer.get("fourCcList"));
            assertEquals(4.0, ((Map<?, ?>) answer.get("videoFourCcInfoMap")).get("hvc1"), "CanForward");
            assertEquals("FMS/3,0,1,123", answer.get("fmsVer"));
        }
    }

    @Test
    void aWildcardListsEveryCodec() {
        try (FakeClient client = new FakeClient()) {
            connect(client, Map.of("fourCcList", List.of("*")));
            assertTrue(client.session.capabilities().lists("vp09"));
        }
    }

    @Test
    void aV2InfoMapCountsOnlyCodecsItCanDecode() {
        try (FakeClient client = new FakeClient()) {
            connect(client, Map.of("videoFourCcInfoMap", new Amf0EcmaArray(Map.of("hvc1", 1.0, "av01", 2.0, "vp09", 7.0)),
                    "capsEx", 4.0));
            ClientCapabilities capabilities = client.session.capabilities();
            assertEquals(Set.of("hvc1", "vp09"), capabilities.videoFourCcs());
            assertEquals(4, capabilities.capsEx());
        }
    }

    @Test
    void aLegacyConnectIsAnsweredAsBeforeWithoutEnhancedProperties() {
        try (FakeClient client = new FakeClient()) {
            Map<?, ?> answer = connect(client, Map.of("flashVer", "LNX 9,0,124,2"));
            assertFalse(client.session.capabilities().signalled());
            assertFalse(answer.containsKey("fourCcList"));
        }
    }

    @Test
    void malformedEnhancedPropertiesAreIgnoredNotFatal() {
        try (FakeClient client = new FakeClient()) {
            connect(client, Map.of("fourCcList", "hvc1", "videoFourCcInfoMap", 3.0, "capsEx", "x"));
            ClientCapabilities capabilities = client.session.capabilities();
            assertTrue(capabilities.signalled(), "it tried to say something");
            assertEquals(Set.of(), capabilities.videoFourCcs());
            assertEquals(0, capabilities.capsEx());
        }
    }
}
