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
}
