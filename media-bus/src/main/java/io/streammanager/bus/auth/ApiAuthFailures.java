package io.streammanager.bus.auth;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Failed API authentications per client address, bounded ({@code sm.api-auth.*}). Apart from the gateway's limiter
 * for stream keys and play tokens: a player guessing keys does not lock an operator out of the API, nor the reverse.
 */
@ApplicationScoped
public class ApiAuthFailures {

    private final AuthFailureLimiter limiter;

    public ApiAuthFailures(ApiAuthConfig config) {
        var auth = config.apiAuth();
        this.limiter = new AuthFailureLimiter(new AuthFailureLimiter.Settings(auth.maxFailures(), auth.failureWindow(),
                auth.blockDuration(), auth.maxTrackedAddresses()), System::currentTimeMillis);
    }

    public AuthFailureLimiter limiter() {
        return limiter;
    }
}
