package io.streammanager.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streammanager.gateway.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RtmpsCertificateTest {

    @TempDir
    Path dir;

    private static GatewayConfig.Rtmps rtmps(String cert, String key) {
        return new GatewayConfig.Rtmps() {
            public boolean enabled() { return true; }
            public String host() { return "127.0.0.1"; }
            public int port() { return 0; }
            public Optional<String> certPath() { return Optional.ofNullable(cert); }
            public Optional<String> keyPath() { return Optional.ofNullable(key); }
            public Optional<Duration> sslHandshakeTimeout() { return Optional.empty(); }
        };
    }

    @Test
    void enabledWithoutACertificateFailsNamingTheProperty() {
        var e = assertThrows(IllegalStateException.class, () -> RtmpsCertificate.pem(rtmps(null, null)));
        assertEquals("rtmps: gateway.rtmps.enabled=true needs gateway.rtmps.cert-path (a PEM file)", e.getMessage());
    }

    @Test
    void anUnreadableKeyFailsNamingThePropertyAndPath() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n");
        String missing = dir.resolve("missing-key.pem").toString();
        var e = assertThrows(IllegalStateException.class, () -> RtmpsCertificate.pem(rtmps(cert.toString(), missing)));
        assertEquals("rtmps: gateway.rtmps.key-path=" + missing + " is not a readable file", e.getMessage());
    }

    @Test
    void readableFilesBecomePemOptions() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "y");
        var pem = RtmpsCertificate.pem(rtmps(cert.toString(), key.toString()));
        assertEquals(cert.toString(), pem.getCertPath());
        assertEquals(key.toString(), pem.getKeyPath());
    }
}
