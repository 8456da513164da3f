package io.streammanager.gateway.server;

import io.netty.buffer.PooledByteBufAllocator;
import io.streammanager.gateway.config.GatewayConfig;
import io.streammanager.gateway.hls.HlsSettings;
import io.streammanager.gateway.hls.HlsStreams;
import io.streammanager.gateway.metrics.GatewayMetrics;
import io.streammanager.gateway.metrics.HlsMetrics;
import io.streammanager.gateway.relay.MediaTap;
import io.streammanager.gateway.relay.RelaySettings;
import io.streammanager.gateway.relay.StreamRegistry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Builds the relay and its LL-HLS packaging (plain code, no CDI inside) from configuration. */
public class RelayBeans {

    @Produces
    @Singleton
    StreamRegistry streamRegistry(GatewayConfig config, GatewayMetrics metrics, HlsStreams hls) {
        long gopBytes = config.gopCache().enabled() ? config.gopCache().maxBytes() : 0;
        RelaySettings settings = new RelaySettings(config.rtmp().chunkSize(), gopBytes, config.player().maxBehind(),
                config.player().audioHold());
        MediaTap tap = config.hls().enabled() ? hls : MediaTap.NONE;
        StreamRegistry registry = new StreamRegistry(settings, PooledByteBufAllocator.DEFAULT, metrics, tap);
        metrics.activeStreams(registry::activeStreams);
        return registry;
    }

    @Produces
    @Singleton
    HlsStreams hlsStreams(GatewayConfig config, HlsMetrics metrics) {
        var hls = config.hls();
        return new HlsStreams(new HlsSettings(hls.segmentTarget(), hls.partTarget(), hls.windowSegments(),
                hls.maxBytesPerStream(), hls.queueMessages(), hls.maxWaiting(), hls.blockTimeout(), hls.retention(),
                hls.workers()), metrics);
    }

    void closeHls(@Disposes HlsStreams hls) {
        hls.close(); // ends every packager: each closes its FFmpeg muxer on its own task
    }
}
