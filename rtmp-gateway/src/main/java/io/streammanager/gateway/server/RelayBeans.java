package io.streammanager.gateway.server;

import io.netty.buffer.PooledByteBufAllocator;
import io.streammanager.gateway.config.GatewayConfig;
import io.streammanager.gateway.metrics.GatewayMetrics;
import io.streammanager.gateway.relay.RelaySettings;
import io.streammanager.gateway.relay.StreamRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Builds the relay (plain code, no CDI inside) from configuration. */
public class RelayBeans {

    @Produces
    @Singleton
    StreamRegistry streamRegistry(GatewayConfig config, GatewayMetrics metrics) {
        long gopBytes = config.gopCache().enabled() ? config.gopCache().maxBytes() : 0;
        RelaySettings settings = new RelaySettings(config.rtmp().chunkSize(), gopBytes, config.player().maxBehind(),
                config.player().audioHold());
        StreamRegistry registry = new StreamRegistry(settings, PooledByteBufAllocator.DEFAULT, metrics);
        metrics.activeStreams(registry::activeStreams);
        return registry;
    }
}
