package io.streammanager.bus.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * nginx with Debian's libnginx-mod-rtmp as an independent RTMP peer (a platform stand-in, a relay): a generated
 * configuration in a directory of the test's (pid file, logs, temp paths there), one process in the foreground (no
 * master, no daemon), on a free loopback port, stopped by its PID.
 */
public final class NginxRtmp implements AutoCloseable {

    public static final String BINARY = "/usr/sbin/nginx";
    public static final Path RTMP_MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");

    private final ExternalProcess process;
    private final int port;
    private final Path dir;

    private NginxRtmp(ExternalProcess process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public static boolean available() {
        return Files.isExecutable(Path.of(BINARY)) && Files.exists(RTMP_MODULE);
    }

    /** Starts nginx on a free port with {@code applications} (the inside of the rtmp server block). */
    public static NginxRtmp start(Path dir, String applications) throws IOException, InterruptedException {
        return start(dir, FreePorts.next(), applications);
    }

    /**
     * A platform stand-in: application {@code live} on {@code port}, asking {@code onPublishUrl} (e.g. an
     * {@link RtmpNotifyEndpoint}) before it accepts a publish, or accepting every publish if that is null.
     */
    public static NginxRtmp startLive(Path dir, int port, String onPublishUrl) throws IOException, InterruptedException {
        String notify = onPublishUrl == null ? "" : " on_publish " + onPublishUrl + ";";
        return start(dir, port, "application live { live on; drop_idle_publisher 5s;" + notify + " }");
    }

    /** Starts nginx on {@code port} (e.g. one an output already retries against) and waits until it listens. */
    public static NginxRtmp start(Path dir, int port, String applications) throws IOException, InterruptedException {
        if (!available()) {
            throw new IllegalStateException("nginx with the RTMP module is not installed (" + BINARY + ", "
                    + RTMP_MODULE + "): run build/install-test-tools.sh");
        }
        Path root = Files.createDirectories(dir.toAbsolutePath().resolve("nginx-" + port));
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
        ExternalProcess process = ExternalProcess.start("nginx", root, List.of(BINARY, "-p", root.toString(), "-e",
                root.resolve("logs/error.log").toString(), "-c", config.toString()));
        NginxRtmp nginx = new NginxRtmp(process, port, root);
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

    public int port() {
        return port;
    }

    /** rtmp://127.0.0.1:port/live/name, the application {@link #startLive} makes. */
    public String url(String name) {
        return url("live", name);
    }

    /** rtmp://127.0.0.1:port/app/name */
    public String url(String app, String name) {
        return "rtmp://127.0.0.1:" + port + "/" + app + "/" + name;
    }

    public boolean alive() {
        return process.alive();
    }

    /** nginx's error log (its rtmp module logs connects, publishes and relays there at level info). */
    public String log() {
        try {
            return Files.readString(dir.resolve("logs/error.log"));
        } catch (IOException e) {
            return "(no nginx log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.close(); // SIGTERM to nginx's PID: fast shutdown
    }
}
