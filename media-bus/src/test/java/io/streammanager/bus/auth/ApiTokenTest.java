package io.streammanager.bus.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiTokenTest {

    @Test
    void rolesNestAdminOverOperatorOverViewer() {
        assertEquals(Set.of("admin", "operator", "viewer"), Roles.granted(Roles.ADMIN));
        assertEquals(Set.of("operator", "viewer"), Roles.granted(Roles.OPERATOR));
        assertEquals(Set.of("viewer"), Roles.granted(Roles.VIEWER));
        assertThrows(IllegalArgumentException.class, () -> Roles.granted("root"));
        assertFalse(Roles.known(null));
    }

    @Test
    void aStoredRecordRoundTripsWithoutTheToken() {
        String secret = ApiTokenSecrets.generate();
        ApiToken token = new ApiToken("t0123456789abcdef", Roles.OPERATOR, 1000, 0, null, ApiTokenSecrets.hint(secret));
        Map<String, String> stored = token.toMap(ApiTokenSecrets.hash(secret));
        assertFalse(stored.values().stream().anyMatch(v -> v.contains(secret.substring(8))), "no part of the secret: " + stored);
        assertEquals(token, ApiToken.fromMap(stored));
        assertEquals(secret.substring(0, 8) + "...", token.hint());
    }

    @Test
    void aRecordWithAnUnknownRoleIsRefused() {
        Map<String, String> stored = new HashMap<>(new ApiToken("t1", Roles.VIEWER, 1, 0, "x", "h").toMap("ab"));
        stored.put("role", "superuser");
        assertThrows(IllegalArgumentException.class, () -> ApiToken.fromMap(stored));
    }

    @Test
    void expiryIsExclusiveAndZeroMeansNever() {
        ApiToken expiring = new ApiToken("t1", Roles.VIEWER, 1, 5000, null, "h");
        assertFalse(expiring.expiredAt(4999));
        assertTrue(expiring.expiredAt(5000));
        assertFalse(new ApiToken("t2", Roles.VIEWER, 1, 0, null, "h").expiredAt(Long.MAX_VALUE));
    }

    @Test
    void secretsCarry256RandomBitsAndCompareByHash() {
        String a = ApiTokenSecrets.generate();
        String b = ApiTokenSecrets.generate();
        assertNotEquals(a, b);
        assertTrue(a.matches("smt_[A-Za-z0-9_-]{43}"), a);
        assertTrue(ApiTokenSecrets.sameHash(ApiTokenSecrets.hash(a), ApiTokenSecrets.hash(a)));
        assertFalse(ApiTokenSecrets.sameHash(ApiTokenSecrets.hash(a), ApiTokenSecrets.hash(b)));
        assertFalse(ApiTokenSecrets.sameHash(null, ApiTokenSecrets.hash(b)));
    }
}
