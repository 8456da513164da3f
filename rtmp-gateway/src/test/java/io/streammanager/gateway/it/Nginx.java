package io.streammanager.gateway.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * nginx with Debian's libnginx-mod-rtmp as an independent RTMP peer: a generated configuration in a directory of
 * the test's (pid file, logs and temp paths there), one process in the foreground (no master, no daemon), on a free
 * port, stopped by its PID.
 */
final class Nginx implements AutoCloseable {

    static final String BINARY = "/usr/sbin/nginx";
    static final Path RTMP_MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");

    private final ExternalProcess process;
    private final int port;
    private final Path dir;

    private Nginx(ExternalProcess process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static boolean available() {
        return Files.isExecutable(Path.of(BINARY)) && Files.exists(RTMP_MODULE);
    }

    /** Starts nginx with {@code applications} (the inside of the rtmp server block) and waits for its port. */
    static Nginx start(Path dir, String applications) throws IOException, InterruptedException {
        int port = freePort();
        Path root = Files.createDirectories(dir.toAbsolutePath().resolve("nginx"));
        Files.createDirectories(root.resolve("logs"));
        String conf = """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log info;
                load_module %2$s;
                events { worker_connections 256; }
                rtmp {
                    server {
                        listen 127.0.0.1:%3$d;
                        chunk_size 4096;
                %4$s
                    }
                }
                """.formatted(root, RTMP_MODULE, port, applications.indent(8));
        Path config = root.resolve("nginx.conf");
        Files.writeString(config, conf);
        ExternalProcess process = ExternalProcess.start("nginx", dir,
                List.of(BINARY, "-p", root.toString(), "-e", root.resolve("logs/error.log").toString(), "-c", config.toString()));
        Nginx nginx = new Nginx(process, port, root);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!nginx.listening()) {
            if (!process.alive() || System.nanoTime() > deadline) {
                String log = nginx.log();
                nginx.close();
                throw new AssertionError("nginx did not listen on " + port + ": " + process.tail() + "\n" + log);
            }
            Thread.sleep(50);
        }
        return nginx;
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    int port() {
        return port;
    }

    boolean alive() {
        return process.alive();
    }

    /** nginx's error log (its rtmp module logs relays there at level info). */
    String log() {
        try {
            return Files.readString(dir.resolve("logs/error.log"));
        } catch (IOException e) {
            return "(no nginx log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.close(); // SIGTERM to nginx's PID: fast shutdown
    }
}
