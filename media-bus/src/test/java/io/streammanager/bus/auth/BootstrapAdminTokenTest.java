package io.streammanager.bus.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BootstrapAdminTokenTest {

    private static ApiAuthConfig config(String adminToken) {
        return new ApiAuthConfig() {
            @Override
            public Optional<String> adminToken() {
                return Optional.ofNullable(adminToken);
            }

            @Override
            public ApiAuth apiAuth() {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void acceptsExactlyTheConfiguredToken() {
        BootstrapAdminToken bootstrap = new BootstrapAdminToken(config("a-long-enough-bootstrap-token"));
        assertTrue(bootstrap.matches("a-long-enough-bootstrap-token"));
        assertFalse(bootstrap.matches("a-long-enough-bootstrap-tokeN"));
        assertFalse(bootstrap.matches(""));
        assertFalse(bootstrap.matches(null));
    }

    @Test
    void withoutATokenNothingMatches() {
        assertFalse(new BootstrapAdminToken(config(null)).matches(""));
        assertFalse(new BootstrapAdminToken(config("  ")).matches("  "));
    }

    @Test
    void aShortTokenStopsTheServiceWithoutShowingIt() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new BootstrapAdminToken(config("short-secret")));
        assertFalse(refused.getMessage().contains("short-secret"), refused.getMessage());
        assertEquals("sm.admin-token (SM_ADMIN_TOKEN) must have at least 16 characters, it has 12", refused.getMessage());
    }
}
