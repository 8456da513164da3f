package io.streammanager.muxer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of a real server that makes its first connection stall: after relaying
 * {@code stallAfterBytes} from the client it stops reading (the client's bytes then pile up unacknowledged, as with
 * a platform that hangs). Later connections relay normally. Its sockets have small receive buffers, so a stall shows
 * within a few KB.
 */
public final class StallingProxy implements AutoCloseable {
    private static final int SMALL_BUFFER = 4096;
    private final ServerSocket server;
    private final int upstreamPort;
    private final long stallAfterBytes;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile long stalledAtNs;

    private StallingProxy(int upstreamPort, long stallAfterBytes) throws IOException {
        this.upstreamPort = upstreamPort;
        this.stallAfterBytes = stallAfterBytes;
        this.server = new ServerSocket();
        server.setReceiveBufferSize(SMALL_BUFFER); // inherited by the accepted sockets
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        this.acceptor = Thread.ofPlatform().daemon(true).name("test-stalling-proxy").start(this::acceptLoop);
    }

    public static StallingProxy start(int upstreamPort, long stallAfterBytes) throws IOException {
        return new StallingProxy(upstreamPort, stallAfterBytes);
    }

    private void acceptLoop() {
        try {
            while (!server.isClosed()) {
                Socket client = server.accept();
                sockets.add(client);
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                sockets.add(upstream);
                boolean stall = connections.incrementAndGet() == 1;
                Thread.ofPlatform().daemon(true).start(() -> pump(client, upstream, stall ? stallAfterBytes : -1));
                Thread.ofPlatform().daemon(true).start(() -> pump(upstream, client, -1));
            }
        } catch (IOException closed) {
            // proxy closed
        }
    }

    private void pump(Socket from, Socket to, long stallAfter) {
        byte[] buffer = new byte[SMALL_BUFFER];
        long relayed = 0;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            while (true) {
                if (stallAfter >= 0 && relayed >= stallAfter) {
                    stalledAtNs = System.nanoTime();
                    while (!from.isClosed()) {
                        Thread.sleep(50); // reads nothing more: the client's window closes
                    }
                    return;
                }
                int read = in.read(buffer);
                if (read < 0) {
                    return;
                }
                out.write(buffer, 0, read);
                relayed += read;
            }
        } catch (IOException | InterruptedException e) {
            // a side closed
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public int connections() {
        return connections.get();
    }

    /** System.nanoTime() when the first connection stopped reading, 0 before. */
    public long stalledAtNs() {
        return stalledAtNs;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        acceptor.join(2_000);
    }
}
