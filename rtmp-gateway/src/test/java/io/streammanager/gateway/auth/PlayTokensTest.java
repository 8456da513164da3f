package io.streammanager.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PlayTokensTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-test";
    private static final long NOW = 1_800_000_000_000L;

    private final PlayTokens tokens = new PlayTokens(SECRET, Duration.ofHours(1));

    private static void refused(AuthDecision decision, String reason) {
        assertFalse(decision.allowed(), decision.toString());
        assertTrue(decision.failedAuthentication(), "a bad token counts against the address: " + decision);
        assertEquals(reason, decision.reason());
    }

    @Test
    void aTokenPlaysItsStreamUntilItExpires() {
        String token = tokens.issue("cam", NOW + 60_000);
        assertTrue(tokens.check(token, "cam", NOW).allowed());
        assertTrue(tokens.check(token, "cam", NOW + 59_999).allowed());
        refused(tokens.check(token, "cam", NOW + 60_000), "play token expired");
    }

    @Test
    void theTokenCarriesItsExpiryAndAnUnpaddedUrlSafeSignature() {
        String token = tokens.issue("cam", NOW + 60_000);
        assertTrue(token.startsWith((NOW + 60_000) + "."), token);
        assertTrue(token.matches("[0-9]+\\.[A-Za-z0-9_-]{43}"), token);
        assertEquals(tokens.issue("cam", NOW + 60_000), token, "signing is deterministic");
    }

    @Test
    void aTokenForAnotherStreamIsRefused() {
        refused(tokens.check(tokens.issue("other", NOW + 60_000), "cam", NOW), "play token is not valid for this stream name");
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        PlayTokens other = new PlayTokens(SECRET + "x", Duration.ofHours(1));
        refused(tokens.check(other.issue("cam", NOW + 60_000), "cam", NOW), "play token is not valid for this stream name");
    }

    @Test
    void extendingTheExpiryBreaksTheSignature() {
        String token = tokens.issue("cam", NOW + 60_000);
        String extended = (NOW + 3_600_000) + token.substring(token.indexOf('.'));
        refused(tokens.check(extended, "cam", NOW), "play token is not valid for this stream name");
    }

    @Test
    void anExpiredForgeryIsRefusedForItsSignatureNotItsAge() {
        String token = tokens.issue("other", NOW - 1);
        refused(tokens.check(token, "cam", NOW), "play token is not valid for this stream name");
    }

    @Test
    void malformedTokensAreRefusedWithoutEchoingThem() {
        String good = tokens.issue("cam", NOW + 60_000);
        String signature = good.substring(good.indexOf('.') + 1);
        for (String bad : new String[] {"x", ".", "." + signature, "abc." + signature, "-5." + signature,
                "0." + signature, (NOW + 60_000) + "." + signature.substring(1), (NOW + 60_000) + "." + signature + "A",
                (NOW + 60_000) + "." + signature.replace(signature.charAt(0), '+'),
                "1234567890123456." + signature, "12345678901234567890." + signature}) {
            AuthDecision decision = tokens.check(bad, "cam", NOW);
            assertFalse(decision.allowed(), bad);
            assertFalse(decision.reason().contains(signature), decision.reason());
        }
        refused(tokens.check("x", "cam", NOW), "malformed play token");
        refused(tokens.check(null, "cam", NOW), "no play token given (use ?token=...)");
        refused(tokens.check("", "cam", NOW), "no play token given (use ?token=...)");
    }

    @Test
    void aFlippedSignatureBitIsRefused() {
        String token = tokens.issue("cam", NOW + 60_000);
        int dot = token.indexOf('.');
        byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        signature[31] ^= 1;
        String flipped = token.substring(0, dot + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        assertNotEquals(token, flipped);
        refused(tokens.check(flipped, "cam", NOW), "play token is not valid for this stream name");
    }

    @Test
    void aShortSecretOrNonPositiveTtlIsAConfigurationError() {
        var e = assertThrows(IllegalArgumentException.class, () -> new PlayTokens("short", Duration.ofHours(1)));
        assertEquals("play token secret must have at least 32 characters, had 5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PlayTokens(SECRET, Duration.ZERO));
    }

    @Test
    void issueRequestsNameTheBadField() {
        assertEquals(new PlayTokens.TokenRequest("cam", NOW + 300_000), tokens.validate("cam", null, NOW));
        assertEquals(new PlayTokens.TokenRequest("cam", NOW + 3_600_000), tokens.validate("cam", 3600L, NOW));
        assertEquals("streamName", assertThrows(KeyRules.InvalidKeyRequest.class,
                () -> tokens.validate("a/b", 60L, NOW)).field());
        assertEquals("streamName", assertThrows(KeyRules.InvalidKeyRequest.class,
                () -> tokens.validate(null, 60L, NOW)).field());
        for (long ttl : new long[] {0, -1, 3601}) {
            var e = assertThrows(KeyRules.InvalidKeyRequest.class, () -> tokens.validate("cam", ttl, NOW));
            assertEquals("ttlSeconds", e.field());
            assertEquals("ttlSeconds must be from 1 to 3600 (gateway.auth.play-token-max-ttl), was " + ttl, e.getMessage());
        }
    }

    @Test
    void theDefaultTtlIsCappedByTheMaximum() {
        PlayTokens shortLived = new PlayTokens(SECRET, Duration.ofSeconds(30));
        assertEquals(NOW + 30_000, shortLived.validate("cam", null, NOW).expiresAtMs());
    }

    @Test
    void theSignatureCheckAloneGivesAnExpiredTokensExpiryAndRefusesForgeries() {
        String expired = tokens.issue("cam", NOW - 1);
        PlayTokens.Signature signature = tokens.verifySignature(expired, "cam");
        assertEquals(null, signature.refusal(), "signed, though expired");
        assertEquals(NOW - 1, signature.expiresAtMs());
        refused(tokens.verifySignature(expired, "other").refusal(), "play token is not valid for this stream name");
        refused(tokens.verifySignature("12.x", "cam").refusal(), "malformed play token");
        refused(tokens.verifySignature(null, "cam").refusal(), "no play token given (use ?token=...)");
    }
}
