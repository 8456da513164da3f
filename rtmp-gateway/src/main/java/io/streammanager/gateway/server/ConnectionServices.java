package io.streammanager.gateway.server;

import io.streammanager.bus.auth.AuthFailureLimiter;
import io.streammanager.gateway.auth.StreamKeyVerifier;
import io.streammanager.gateway.config.GatewayConfig;
import io.streammanager.gateway.control.GatewayEvents;
import io.streammanager.gateway.metrics.GatewayMetrics;
import io.streammanager.gateway.relay.StreamRegistry;
import io.streammanager.gateway.rtmp.session.SessionSettings;

/** What every connection uses, built once by {@link RtmpServer}. */
record ConnectionServices(GatewayConfig config, SessionSettings sessionSettings, GatewayMetrics metrics,
                          StreamKeyVerifier verifier, AuthFailureLimiter authFailures, GatewayEvents events, StreamRegistry streams,
                          ConnectionRegistry connections) {
}
