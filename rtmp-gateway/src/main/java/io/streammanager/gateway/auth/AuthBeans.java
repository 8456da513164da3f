package io.streammanager.gateway.auth;

import io.streammanager.bus.auth.AuthFailureLimiter;
import io.streammanager.gateway.config.GatewayConfig;
import io.streammanager.gateway.metrics.GatewayMetrics;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Builds the auth failure limiter (plain code, no CDI inside) from configuration. */
public class AuthBeans {

    @Produces
    @Singleton
    AuthFailureLimiter authFailureLimiter(GatewayConfig config, GatewayMetrics metrics) {
        var auth = config.auth();
        AuthFailureLimiter limiter = new AuthFailureLimiter(new AuthFailureLimiter.Settings(auth.maxFailures(),
                auth.failureWindow(), auth.blockDuration(), auth.maxTrackedAddresses()), System::currentTimeMillis);
        metrics.authLimiter(limiter::evictions, limiter::trackedAddresses);
        return limiter;
    }
}
