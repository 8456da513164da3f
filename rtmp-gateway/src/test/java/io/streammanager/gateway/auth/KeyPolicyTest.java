package io.streammanager.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammanager.bus.control.Scope;
import io.streammanager.bus.control.StreamKeyRecord;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyPolicyTest {

    private static StreamKeyRecord record(String name, Set<Scope> scopes, long expiresAtMs, boolean revoked) {
        return new StreamKeyRecord(name, scopes, "id-1", expiresAtMs, revoked);
    }

    @Test
    void aValidPublishKeyForTheNameIsAllowedWithItsStreamId() {
        AuthDecision decision = KeyPolicy.checkPublish(record("cam", Set.of(Scope.PUBLISH), 0, false), "cam", 1000);
        assertTrue(decision.allowed());
        assertEquals("id-1", decision.streamId());
    }

    @Test
    void everyBrokenRuleRefusesWithAReasonAndStatus() {
        assertEquals(new AuthDecision(false, null, AuthDecision.BAD_AUTH, "unknown stream key"), KeyPolicy.checkPublish(null, "cam", 0));
        assertEquals("stream key revoked", KeyPolicy.checkPublish(record("cam", Set.of(Scope.PUBLISH), 0, true), "cam", 0).reason());
        assertEquals("stream key expired", KeyPolicy.checkPublish(record("cam", Set.of(Scope.PUBLISH), 500, false), "cam", 500).reason());
        AuthDecision playOnly = KeyPolicy.checkPublish(record("cam", Set.of(Scope.PLAY), 0, false), "cam", 0);
        assertEquals(AuthDecision.DENIED, playOnly.statusCode());
        AuthDecision otherName = KeyPolicy.checkPublish(record("cam", Set.of(Scope.PUBLISH), 0, false), "cam2", 0);
        assertEquals("stream key is not for this stream name", otherName.reason());
    }

    @Test
    void aManagedStreamsKeyAlsoPublishesItsRenditionsButNothingElse() {
        StreamKeyRecord managed = record("cam", Set.of(Scope.PUBLISH), 0, false);
        assertTrue(KeyPolicy.checkPublish(managed, "cam_sd", 0).allowed(), "<name>_<rendition id>");
        assertEquals("id-1", KeyPolicy.checkPublish(managed, "cam_720p", 0).streamId());
        for (String other : new String[] {"cam_", "cam_SD", "cam_a.b", "cam_seventeen-chars-x", "camx_sd", "cam-sd"}) {
            assertEquals("stream key is not for this stream name", KeyPolicy.checkPublish(managed, other, 0).reason(),
                    other);
        }
        StreamKeyRecord handMade = new StreamKeyRecord("cam", Set.of(Scope.PUBLISH), "", 0, false);
        assertEquals("stream key is not for this stream name", KeyPolicy.checkPublish(handMade, "cam_sd", 0).reason());
        StreamKeyRecord playKey = record("cam", Set.of(Scope.PLAY, Scope.PUBLISH), 0, false);
        assertEquals("stream key is not for this stream name",
                KeyPolicy.check(Scope.PLAY, playKey, "cam_sd", 0).reason(), "play keys stay exact");
    }
}
