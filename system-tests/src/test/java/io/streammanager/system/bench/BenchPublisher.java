package io.streammanager.system.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes the FLV source over RTMP in real time (paced by tag timestamps, looping with continuing timestamps) and
 * records, per video timestamp, the {@link System#nanoTime()} at which that message was handed to the socket.
 */
final class BenchPublisher implements AutoCloseable {

    private static final int CHUNK_SIZE = 4096;
    private static final int CSID_COMMAND = 3;
    private static final int CSID_PUBLISH = 4;
    private static final int CSID_DATA = 5;
    private static final int CSID_AUDIO = 6;
    private static final int CSID_VIDEO = 7;

    /** Video timestamp (ms) to send time (nanoTime); read by the players' thread. */
    /** When each video and audio message was written, by its timestamp (what players match their receipts against). */
    final SendTimes sendTimes = new SendTimes(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());

    record SendTimes(Map<Integer, Long> video, Map<Integer, Long> audio) {
    }
    final AtomicLong mediaBytesSent = new AtomicLong();
    private final Socket socket;
    private final LinkedBlockingQueue<List<Object>> commands = new LinkedBlockingQueue<>();
    private final RtmpWire.ChunkReader reader;
    private volatile boolean running = true;
    private volatile String failure;
    private Thread sender;
    private Thread drainer;

    private BenchPublisher(Socket socket) {
        this.socket = socket;
        this.reader = new RtmpWire.ChunkReader((type, ts, sid, len, payload) -> {
            if (type == RtmpWire.TYPE_COMMAND_AMF0 && payload != null) {
                commands.add(RtmpWire.decodeAmf0(payload));
            }
        });
    }

    /** Connects, publishes {@code app/publishName} and starts sending; returns once the server said Publish.Start. */
    static BenchPublisher start(String host, int port, String app, String publishName, FlvSource source,
                                Duration timeout) throws IOException, InterruptedException {
        Socket socket = new Socket();
        BenchPublisher pub = new BenchPublisher(socket);
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            pub.setUp(host, port, app, publishName, timeout);
        } catch (IOException | RuntimeException | InterruptedException e) {
            pub.close();
            throw e;
        }
        pub.socket.setSoTimeout(0);
        pub.drainer = Thread.ofPlatform().daemon().name("bench-publisher-read").start(pub::drain);
        pub.sender = Thread.ofPlatform().daemon().name("bench-publisher").start(() -> pub.send(source));
        return pub;
    }

    private int streamId;

    private void setUp(String host, int port, String app, String publishName, Duration timeout)
            throws IOException, InterruptedException {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        byte[] c0c1 = new byte[1 + RtmpWire.HANDSHAKE_SIZE];
        c0c1[0] = 3;
        out.write(c0c1);
        byte[] s0s1s2 = in.readNBytes(1 + 2 * RtmpWire.HANDSHAKE_SIZE);
        if (s0s1s2.length < 1 + 2 * RtmpWire.HANDSHAKE_SIZE) {
            throw new IOException("publisher: server closed during the handshake");
        }
        out.write(s0s1s2, 1, RtmpWire.HANDSHAKE_SIZE); // C2 echoes S1
        Map<String, Object> connect = new LinkedHashMap<>();
        connect.put("app", app);
        connect.put("type", "nonprivate");
        connect.put("flashVer", "FMLE/3.0 (compatible; FanoutBench)");
        connect.put("tcUrl", "rtmp://" + host + ":" + port + "/" + app);
        out.write(RtmpWire.concat(
                RtmpWire.chunk(2, RtmpWire.TYPE_SET_CHUNK_SIZE, 0, 0, RtmpWire.int32(CHUNK_SIZE), 128),
                RtmpWire.chunk(CSID_COMMAND, RtmpWire.TYPE_COMMAND_AMF0, 0, 0,
                        RtmpWire.amf0("connect", 1, connect), CHUNK_SIZE)));
        expectResult(in, 1, timeout);
        out.write(RtmpWire.chunk(CSID_COMMAND, RtmpWire.TYPE_COMMAND_AMF0, 0, 0,
                RtmpWire.amf0("createStream", 2, null), CHUNK_SIZE));
        List<Object> created = expectResult(in, 2, timeout);
        streamId = created.size() > 3 && created.get(3) instanceof Double d ? d.intValue() : 1;
        out.write(RtmpWire.chunk(CSID_PUBLISH, RtmpWire.TYPE_COMMAND_AMF0, 0, streamId,
                RtmpWire.amf0("publish", 3, null, publishName, "live"), CHUNK_SIZE));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Object> cmd = nextCommand(in, deadline);
            if ("onStatus".equals(cmd.get(0)) && cmd.size() > 3 && cmd.get(3) instanceof Map<?, ?> info) {
                Object code = info.get("code");
                if ("NetStream.Publish.Start".equals(code)) {
                    return;
                }
                throw new IOException("publish refused: " + code + " " + info.get("description"));
            }
            if ("_error".equals(cmd.get(0))) {
                throw new IOException("publish refused: " + cmd);
            }
        }
    }

    private List<Object> expectResult(InputStream in, int transaction, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Object> cmd = nextCommand(in, deadline);
            boolean ours = cmd.size() > 1 && cmd.get(1) instanceof Double d && d.intValue() == transaction;
            if (ours && "_result".equals(cmd.get(0))) {
                return cmd;
            }
            if (ours && "_error".equals(cmd.get(0))) {
                throw new IOException("publisher: transaction " + transaction + " failed: " + cmd);
            }
        }
    }

    private List<Object> nextCommand(InputStream in, long deadline) throws IOException, InterruptedException {
        byte[] buf = new byte[8192];
        while (true) {
            List<Object> cmd = commands.poll();
            if (cmd != null && !cmd.isEmpty()) {
                return cmd;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("publisher: no answer from the server in time");
            }
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                throw new IOException("publisher: no answer from the server in time");
            }
            if (n < 0) {
                throw new IOException("publisher: server closed the connection");
            }
            reader.feed(ByteBuffer.wrap(buf, 0, n));
        }
    }

    /** Reads and discards what the server sends while publishing (acks, pings); a closed socket is a failure. */
    private void drain() {
        byte[] buf = new byte[8192];
        try {
            InputStream in = socket.getInputStream();
            while (running) {
                int n = in.read(buf);
                if (n < 0) {
                    fail("server closed the publisher's connection");
                    return;
                }
                reader.feed(ByteBuffer.wrap(buf, 0, n));
                commands.clear();
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                fail("publisher read: " + e);
            }
        }
    }

    private void send(FlvSource source) {
        try {
            OutputStream out = socket.getOutputStream();
            long base = System.nanoTime();
            for (int loop = 0; running; loop++) {
                long offset = (long) loop * source.loopDurationMs;
                for (FlvSource.Tag tag : source.tags) {
                    if (!running) {
                        return;
                    }
                    byte[] body = tag.body();
                    boolean sequenceHeader = body.length > 1 && body[1] == 0
                            && ((tag.type() == 9 && (body[0] & 0x0F) == 7) || (tag.type() == 8 && (body[0] & 0xF0) == 0xA0));
                    if (loop > 0 && (tag.type() == 18 || sequenceHeader)) {
                        continue; // metadata and sequence headers once, at the start
                    }
                    int ts = (int) (offset + tag.timestamp());
                    long due = base + TimeUnit.MILLISECONDS.toNanos(ts);
                    for (long wait = due - System.nanoTime(); wait > 0 && running; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    byte[] message;
                    if (tag.type() == 18) {
                        byte[] payload = RtmpWire.concat(RtmpWire.amf0("@setDataFrame"), body);
                        message = RtmpWire.chunk(CSID_DATA, RtmpWire.TYPE_DATA_AMF0, ts, streamId, payload, CHUNK_SIZE);
                    } else {
                        message = RtmpWire.chunk(tag.type() == 9 ? CSID_VIDEO : CSID_AUDIO, tag.type(), ts, streamId,
                                body, CHUNK_SIZE);
                    }
                    if (tag.type() == 9) {
                        sendTimes.video().put(ts, System.nanoTime());
                    } else if (tag.type() == 8) {
                        sendTimes.audio().put(ts, System.nanoTime());
                    }
                    out.write(message);
                    if (tag.type() != 18) {
                        mediaBytesSent.addAndGet(body.length);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                fail("publisher send: " + e);
            }
        }
    }

    private void fail(String why) {
        if (failure == null) {
            failure = why;
        }
    }

    /** Null while publishing is healthy. */
    String failure() {
        return failure;
    }

    @Override
    public void close() {
        running = false;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Thread t : new Thread[] {sender, drainer}) {
            if (t != null) {
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
