package io.streammanager.bus.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Redis server for tests, on a free loopback port: Debian's {@code redis-server} when installed, else the
 * binary shipped inside the embedded-redis artifact. Persistence is off; {@link #close()} stops it and removes its
 * working directory.
 */
public final class RedisTestServer implements AutoCloseable {

    private static final Path SYSTEM_REDIS = Paths.get("/usr/bin/redis-server");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final int port;
    private final Process process;
    private final redis.embedded.RedisServer embedded;
    private final Path workDir;

    private RedisTestServer(int port, Process process, redis.embedded.RedisServer embedded, Path workDir) {
        this.port = port;
        this.process = process;
        this.embedded = embedded;
        this.workDir = workDir;
    }

    public static RedisTestServer start() {
        return startOn(freePort());
    }

    /**
     * A server on {@code port}, e.g. one that a closed server used: clients configured for it reconnect, as to a
     * Redis that restarted (empty: nothing is persisted).
     */
    public static RedisTestServer startOn(int port) {
        Path workDir = null;
        try {
            workDir = Files.createTempDirectory("sm-redis-test-");
            RedisTestServer server;
            if (Files.isExecutable(SYSTEM_REDIS)) {
                Process process = new ProcessBuilder(List.of(SYSTEM_REDIS.toString(),
                        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                        "--dir", workDir.toString(), "--daemonize", "no", "--loglevel", "warning"))
                        .redirectErrorStream(true)
                        .redirectOutput(workDir.resolve("redis.log").toFile())
                        .start();
                server = new RedisTestServer(port, process, null, workDir);
            } else {
                redis.embedded.RedisServer embedded = redis.embedded.RedisServer.newRedisServer()
                        .port(port).bind("127.0.0.1").setting("save \"\"").setting("appendonly no").build();
                embedded.start();
                server = new RedisTestServer(port, null, embedded, workDir);
            }
            server.awaitPong();
            return server;
        } catch (IOException e) {
            deleteTree(workDir);
            throw new IllegalStateException("redis test server: cannot start on port " + port, e);
        }
    }

    public int port() {
        return port;
    }

    /** For {@code quarkus.redis.hosts}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    private void awaitPong() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                socket.setSoTimeout(1000);
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] reply = in.readNBytes(7);
                if (new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting: poll again until the deadline
            }
            if (process != null && !process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + ", see " + workDir.resolve("redis.log"));
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IOException("redis-server did not answer PING within " + START_TIMEOUT);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for redis-server", e);
            }
        }
    }

    @Override
    public void close() {
        try {
            if (process != null) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            if (embedded != null) {
                embedded.stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new IllegalStateException("redis test server: cannot stop", e);
        } finally {
            deleteTree(workDir);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp dir left behind is harmless to the next run (unique name)
        }
    }
}
