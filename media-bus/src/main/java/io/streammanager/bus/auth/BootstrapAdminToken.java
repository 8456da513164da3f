package io.streammanager.bus.auth;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The admin token from {@code SM_ADMIN_TOKEN} ({@code sm.admin-token}), kept only as its hash and compared in constant
 * time. Never logged: startup says whether one is configured, nothing more.
 */
@Startup // a misconfigured token stops the service at startup, not at its first request
@ApplicationScoped
public class BootstrapAdminToken {

    static final int MIN_LENGTH = 16;
    static final String ID = "bootstrap-admin";
    private static final Logger LOG = Logger.getLogger(BootstrapAdminToken.class);

    private final String hashHex;

    public BootstrapAdminToken(ApiAuthConfig config) {
        String token = config.adminToken().map(String::strip).filter(t -> !t.isEmpty()).orElse(null);
        if (token != null && token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("sm.admin-token (SM_ADMIN_TOKEN) must have at least " + MIN_LENGTH
                    + " characters, it has " + token.length());
        }
        this.hashHex = token == null ? null : ApiTokenSecrets.hash(token);
        LOG.infof("api auth: bootstrap admin token %s", token == null ? "not configured" : "configured (SM_ADMIN_TOKEN)");
    }

    public boolean matches(String presented) {
        return hashHex != null && presented != null && ApiTokenSecrets.sameHash(hashHex, ApiTokenSecrets.hash(presented));
    }
}
