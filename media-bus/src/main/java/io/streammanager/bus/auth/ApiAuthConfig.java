package io.streammanager.bus.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** API authentication settings, the same keys in every service. */
@ConfigMapping(prefix = "sm")
public interface ApiAuthConfig {

    /**
     * A token accepted as admin without being stored in Redis, to bootstrap the first real tokens. Set it through the
     * environment variable {@code SM_ADMIN_TOKEN} (never in a file that is committed); at least
     * {@value BootstrapAdminToken#MIN_LENGTH} characters. Absent: only stored tokens are accepted.
     */
    Optional<String> adminToken();

    ApiAuth apiAuth();

    interface ApiAuth {
        /** Failed authentications (a wrong, expired or revoked token) from one address within the window that block it. */
        @WithDefault("10")
        int maxFailures();

        @WithDefault("60s")
        Duration failureWindow();

        /** How long a blocked address gets 429 for every request that carries a token. */
        @WithDefault("60s")
        Duration blockDuration();

        /** Addresses remembered at once; beyond it the least recently seen is forgotten. */
        @WithDefault("10000")
        int maxTrackedAddresses();
    }
}
