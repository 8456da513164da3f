package io.streammanager.muxer.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx with libnginx-mod-rtmp as a platform stand-in: a generated configuration in the test's directory
 * (pid file and logs there), one foreground process (no master, no daemon) on the given loopback port, stopped by
 * its PID. Publishing to {@code rtmp://127.0.0.1:<port>/live/<name>} asks {@code on_publish} first, when given. Like
 * a platform, it drops a publisher that sent nothing for 5 s.
 */
public final class NginxRtmp implements AutoCloseable {
    public static final String BINARY = "/usr/sbin/nginx";
    public static final Path RTMP_MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");

    private final Process process;
    private final int port;
    private final Path root;

    private NginxRtmp(Process process, int port, Path root) {
        this.process = process;
        this.port = port;
        this.root = root;
    }

    public static boolean available() {
        return Files.isExecutable(Path.of(BINARY)) && Files.exists(RTMP_MODULE);
    }

    /**
     * Starts nginx on {@code port} and waits until it listens.
     *
     * @param onPublish URL nginx asks before accepting a publish (2xx accepts, anything else refuses), or null
     */
    public static NginxRtmp start(Path dir, int port, String onPublish) throws IOException, InterruptedException {
        Path root = Files.createDirectories(dir.toAbsolutePath().resolve("nginx-" + port));
        Files.createDirectories(root.resolve("logs"));
        String notify = onPublish == null ? "" : "on_publish " + onPublish + ";\n            notify_method get;";
        String conf = """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log info;
                load_module %2$s;
                events { worker_connections 256; }
                rtmp {
                    access_log %1$s/logs/access.log;
                    server {
                        listen 127.0.0.1:%3$d;
                        chunk_size 4096;
                        application live {
                            live on;
                            drop_idle_publisher 5s;
                            %4$s
                        }
                    }
                }
                """.formatted(root, RTMP_MODULE, port, notify);
        Path config = root.resolve("nginx.conf");
        Files.writeString(config, conf);
        Process process = new ProcessBuilder(List.of(BINARY, "-p", root.toString(), "-e",
                root.resolve("logs/error.log").toString(), "-c", config.toString()))
                .redirectErrorStream(true).redirectOutput(root.resolve("logs/stdout.log").toFile()).start();
        NginxRtmp nginx = new NginxRtmp(process, port, root);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!nginx.listening()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String log = nginx.errorLog();
                nginx.close();
                throw new AssertionError("nginx did not listen on " + port + ": " + log);
            }
            Thread.sleep(20);
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

    public String url(String streamName) {
        return "rtmp://127.0.0.1:" + port + "/live/" + streamName;
    }

    public String errorLog() {
        try {
            return Files.readString(root.resolve("logs/error.log"));
        } catch (IOException e) {
            return "(no nginx log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM to nginx's PID: fast shutdown
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
