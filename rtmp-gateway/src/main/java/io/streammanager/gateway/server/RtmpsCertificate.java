package io.streammanager.gateway.server;

import io.streammanager.gateway.config.GatewayConfig;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/** The RTMPS listener's certificate and key, checked at startup so a bad path fails with its name, not mid-listen. */
final class RtmpsCertificate {

    private RtmpsCertificate() {
    }

    /** The PEM options for {@code rtmps}; throws IllegalStateException naming the key and path that is missing or unreadable. */
    static PemKeyCertOptions pem(GatewayConfig.Rtmps rtmps) {
        String cert = readable("gateway.rtmps.cert-path", rtmps.certPath().orElse(null));
        String key = readable("gateway.rtmps.key-path", rtmps.keyPath().orElse(null));
        return new PemKeyCertOptions().setCertPath(cert).setKeyPath(key);
    }

    private static String readable(String property, String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalStateException("rtmps: gateway.rtmps.enabled=true needs " + property + " (a PEM file)");
        }
        Path file = Path.of(path);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalStateException("rtmps: " + property + "=" + path + " is not a readable file");
        }
        return path;
    }
}
