package io.streammanager.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammanager.bus.control.Scope;
import io.streammanager.bus.control.StreamKeyRecord;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyRulesTest {

    private static final long NOW = 1_700_000_000_000L;

    private static String badField(String name, List<String> scopes, Long expiresAtMs) {
        return assertThrows(KeyRules.InvalidKeyRequest.class, () -> KeyRules.validate(name, scopes, expiresAtMs, NOW)).field();
    }

    @Test
    void aValidRequestKeepsItsNameScopesAndExpiry() {
        KeyRules.NewKey key = KeyRules.validate("cam-1.main_2", List.of("publish", "PLAY"), NOW + 1, NOW);
        assertEquals(new KeyRules.NewKey("cam-1.main_2", Set.of(Scope.PUBLISH, Scope.PLAY), NOW + 1), key);
        assertEquals(0, KeyRules.validate("cam", List.of("play"), null, NOW).expiresAtMs(), "no expiry means never");
        assertEquals(0, KeyRules.validate("cam", List.of("play"), 0L, NOW).expiresAtMs());
    }

    @Test
    void eachBadFieldIsNamed() {
        assertEquals("streamName", badField(null, List.of("publish"), null));
        assertEquals("streamName", badField("has space", List.of("publish"), null));
        assertEquals("streamName", badField("x".repeat(129), List.of("publish"), null));
        assertEquals("scopes", badField("cam", null, null));
        assertEquals("scopes", badField("cam", List.of(), null));
        assertEquals("scopes", badField("cam", List.of("publish", "record"), null));
        assertEquals("expiresAtMs", badField("cam", List.of("publish"), NOW));
        assertEquals("expiresAtMs", badField("cam", List.of("publish"), -5L));
    }

    @Test
    void theUnknownScopeIsQuotedInTheMessage() {
        var e = assertThrows(KeyRules.InvalidKeyRequest.class, () -> KeyRules.validate("cam", List.of("admin"), null, NOW));
        assertTrue(e.getMessage().contains("'admin'"), e.getMessage());
    }

    @Test
    void theHintShowsFourCharactersAndAnEllipsis() {
        assertEquals("abcd\u2026", KeyRules.hint("abcdefghijklmnop"));
        assertEquals(List.of("publish", "play"), KeyRules.scopeNames(Set.of(Scope.PLAY, Scope.PUBLISH)));
    }

    @Test
    void aPlayKeyIsCheckedForThePlayScope() {
        StreamKeyRecord publishOnly = new StreamKeyRecord("cam", Set.of(Scope.PUBLISH), "", 0, false);
        StreamKeyRecord playOnly = new StreamKeyRecord("cam", Set.of(Scope.PLAY), "", 0, false);
        assertEquals(AuthDecision.denied("stream key has no play scope"), KeyPolicy.check(Scope.PLAY, publishOnly, "cam", NOW));
        assertTrue(KeyPolicy.check(Scope.PLAY, playOnly, "cam", NOW).allowed());
        assertEquals(AuthDecision.denied("stream key has no publish scope"), KeyPolicy.check(Scope.PUBLISH, playOnly, "cam", NOW));
    }

    @Test
    void onlyClientFaultsCountAsFailedAuthentications() {
        assertTrue(AuthDecision.badAuth("unknown stream key").failedAuthentication());
        assertTrue(AuthDecision.denied("stream key is not for this stream name").failedAuthentication());
        assertEquals(false, AuthDecision.unavailable().failedAuthentication(), "Redis being down is not the client's fault");
        assertEquals(false, AuthDecision.allow(null).failedAuthentication());
    }
}
