package io.streammanager.gateway.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Redis and the RTMP listener as in {@link RedisTestResource}, plus the RTMPS listener on a free port with a
 * self-signed certificate for 127.0.0.1 that Debian's openssl writes into target/ (nothing in /tmp).
 */
public class RtmpsTestResource extends RedisTestResource {

    static final Path CERT_DIR = Path.of("target", "rtmps-test-cert").toAbsolutePath();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        Path cert = CERT_DIR.resolve("cert.pem");
        Path key = CERT_DIR.resolve("key.pem");
        generateSelfSigned(cert, key);
        config.put("gateway.rtmps.enabled", "true");
        config.put("gateway.rtmps.port", Integer.toString(freePort()));
        config.put("gateway.rtmps.cert-path", cert.toString());
        config.put("gateway.rtmps.key-path", key.toString());
        return config;
    }

    private static void generateSelfSigned(Path cert, Path key) {
        try {
            Files.createDirectories(CERT_DIR);
            Process openssl = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"))
                    .redirectErrorStream(true).redirectOutput(CERT_DIR.resolve("openssl.log").toFile()).start();
            if (!openssl.waitFor(60, TimeUnit.SECONDS)) {
                openssl.destroyForcibly();
                throw new IllegalStateException("openssl did not finish in 60 s");
            }
            if (openssl.exitValue() != 0) {
                throw new IllegalStateException("openssl failed: " + Files.readString(CERT_DIR.resolve("openssl.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("openssl (build/install-test-tools.sh installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
