package io.streammanager.system.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N RTMP players on one selector thread: each does the simple handshake, connect, createStream, play and Set Buffer
 * Length, answers Window Ack Size with Acknowledgements and pings with pongs, de-chunks what it receives and counts it.
 * Records play-to-first-video-frame per player and, while the measurement window is open, publish-to-receipt latency
 * of every video message (matched by timestamp with the publisher's send times: same process, same clock).
 */
final class PlayerSwarm implements AutoCloseable {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(PlayerSwarm.class);

    private static final int CHUNK_SIZE = 128; // players never raise their outbound chunk size: commands are small
    private static final int CSID_COMMAND = 3;
    private static final int CSID_PLAY = 8;
    private static final int BUFFER_MS = 3000;
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final InetSocketAddress address;
    private final String app;
    private final String streamName;
    private final BenchPublisher.SendTimes sendTimes;
    private final long firstFrameTimeoutNanos;
    private final Selector selector;
    private final List<Player> players = new ArrayList<>();
    private final Thread thread;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private volatile boolean running = true;
    private volatile boolean windowOpen;
    private volatile int toJoin;
    private final int joinBatch;
    private final long joinIntervalNanos;

    /** Socket bytes and audio/video payload bytes received by all players, since the start. */
    final AtomicLong socketBytes = new AtomicLong();
    final AtomicLong mediaBytes = new AtomicLong();
    /** Players that saw their first video frame or failed. */
    private final java.util.concurrent.atomic.AtomicInteger settled = new java.util.concurrent.atomic.AtomicInteger();
    /** Latency samples (ns) of messages received while the window was open; only the swarm thread appends. */
    private final Samples videoLatencies = new Samples();
    private final Samples audioLatencies = new Samples();
    private long unmatchedVideo;

    PlayerSwarm(InetSocketAddress address, String app, String streamName, BenchPublisher.SendTimes sendTimes,
                int joinBatch, long joinIntervalMs, long firstFrameTimeoutMs) throws IOException {
        this.address = address;
        this.app = app;
        this.streamName = streamName;
        this.sendTimes = sendTimes;
        this.joinBatch = joinBatch;
        this.joinIntervalNanos = TimeUnit.MILLISECONDS.toNanos(joinIntervalMs);
        this.firstFrameTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(firstFrameTimeoutMs);
        this.selector = Selector.open();
        this.thread = Thread.ofPlatform().name("bench-players").unstarted(this::loop);
    }

    /** Starts the thread, which attaches {@code n} players, {@code joinBatch} every join interval. */
    void join(int n) {
        toJoin = n;
        thread.start();
    }

    void openWindow(boolean open) {
        windowOpen = open;
    }

    private final class Player {
        final int index;
        SocketChannel channel;
        SelectionKey key;
        int state; // 0 connecting, 1 handshake, 2 connect sent, 3 createStream sent, 4 play sent, 5 failed/closed
        final byte[] s0s1s2 = new byte[1 + 2 * RtmpWire.HANDSHAKE_SIZE];
        int handshakeRead;
        long startNanos;
        long playNanos;
        long firstFrameNanos;
        long lastMediaNanos;
        long received;
        long acked;
        long windowAck;
        ByteBuffer pending;
        String failure;
        boolean failedInWindow;
        final RtmpWire.ChunkReader reader;
        long now; // receipt time of the bytes being parsed

        Player(int index) {
            this.index = index;
            this.reader = new RtmpWire.ChunkReader(this::onMessage);
        }

        void onMessage(int type, int timestamp, int streamId, int length, byte[] payload) {
            switch (type) {
                case RtmpWire.TYPE_VIDEO -> {
                    mediaBytes.addAndGet(length);
                    lastMediaNanos = now;
                    if (firstFrameNanos == 0 && playNanos != 0 && length > 0) {
                        firstFrameNanos = now;
                        settled.incrementAndGet();
                    }
                    if (windowOpen) {
                        Long sent = sendTimes.video().get(timestamp);
                        if (sent == null) {
                            unmatchedVideo++;
                        } else {
                            videoLatencies.add(now - sent);
                        }
                    }
                }
                case RtmpWire.TYPE_AUDIO -> {
                    mediaBytes.addAndGet(length);
                    Long sent = windowOpen ? sendTimes.audio().get(timestamp) : null;
                    if (sent != null) {
                        audioLatencies.add(now - sent);
                    }
                }
                case RtmpWire.TYPE_WINDOW_ACK_SIZE -> windowAck = ByteBuffer.wrap(payload).getInt() & 0xFFFFFFFFL;
                case RtmpWire.TYPE_USER_CONTROL -> {
                    if (payload.length >= 6 && ByteBuffer.wrap(payload).getShort() == 6) { // ping request
                        write(RtmpWire.chunk(2, RtmpWire.TYPE_USER_CONTROL, 0, 0,
                                RtmpWire.userControl(7, ByteBuffer.wrap(payload).getInt(2)), CHUNK_SIZE));
                    }
                }
                case RtmpWire.TYPE_COMMAND_AMF0 -> onCommand(RtmpWire.decodeAmf0(payload));
                default -> {
                    // set chunk size is applied by the reader; peer bandwidth, acks, metadata need no answer
                }
            }
        }

        void onCommand(List<Object> cmd) {
            Object name = cmd.isEmpty() ? null : cmd.get(0);
            int txn = cmd.size() > 1 && cmd.get(1) instanceof Double d ? d.intValue() : -1;
            if ("_result".equals(name) && txn == 1 && state == 2) {
                state = 3;
                write(RtmpWire.chunk(CSID_COMMAND, RtmpWire.TYPE_COMMAND_AMF0, 0, 0,
                        RtmpWire.amf0("createStream", 2, null), CHUNK_SIZE));
            } else if ("_result".equals(name) && txn == 2 && state == 3) {
                int sid = cmd.size() > 3 && cmd.get(3) instanceof Double d ? d.intValue() : 1;
                state = 4;
                playNanos = System.nanoTime();
                write(RtmpWire.concat(
                        RtmpWire.chunk(CSID_PLAY, RtmpWire.TYPE_COMMAND_AMF0, 0, sid,
                                RtmpWire.amf0("play", 0, null, streamName), CHUNK_SIZE),
                        RtmpWire.chunk(2, RtmpWire.TYPE_USER_CONTROL, 0, 0,
                                RtmpWire.userControl(3, sid, BUFFER_MS), CHUNK_SIZE)));
            } else if ("_error".equals(name)) {
                fail("server answered " + cmd);
            } else if ("onStatus".equals(name) && cmd.size() > 3 && cmd.get(3) instanceof Map<?, ?> info
                    && "error".equals(info.get("level"))) {
                fail("play refused: " + info.get("code"));
            }
        }

        void write(byte[] bytes) {
            if (state == 5) {
                return;
            }
            try {
                if (pending != null) {
                    ByteBuffer merged = ByteBuffer.allocate(pending.remaining() + bytes.length);
                    merged.put(pending).put(bytes).flip();
                    pending = merged;
                } else {
                    ByteBuffer b = ByteBuffer.wrap(bytes);
                    channel.write(b);
                    if (b.hasRemaining()) {
                        pending = b;
                    }
                }
                if (pending != null) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                }
            } catch (IOException e) {
                fail("write: " + e.getMessage());
            }
        }

        void fail(String why) {
            if (state == 5) {
                return;
            }
            failure = why;
            if (firstFrameNanos == 0) {
                settled.incrementAndGet();
            }
            if (windowOpen) {
                failedInWindow = true;
            }
            state = 5;
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** A growing array of nanosecond samples (no boxing: 500 players add ~40 000 per second). */
    private static final class Samples {
        private long[] values = new long[1 << 16];
        private int count;

        void add(long nanos) {
            if (count == values.length) {
                values = java.util.Arrays.copyOf(values, values.length * 2);
            }
            values[count++] = nanos;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(values, count);
        }
    }

    private void loop() {
        long nextJoin = System.nanoTime();
        try {
            while (running) {
                long now = System.nanoTime();
                if (players.size() < toJoin && now >= nextJoin) {
                    for (int i = 0; i < joinBatch && players.size() < toJoin; i++) {
                        open(new Player(players.size()));
                    }
                    nextJoin = now + joinIntervalNanos;
                }
                selector.select(20);
                now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    Player p = (Player) key.attachment();
                    try {
                        handle(p, key, now);
                    } catch (IOException | RuntimeException e) {
                        p.fail(e.toString());
                    }
                }
                selector.selectedKeys().clear();
                for (Player p : players) {
                    if (p.state != 5 && p.firstFrameNanos == 0) {
                        long started = p.playNanos != 0 ? p.playNanos : p.startNanos;
                        if (now - started > firstFrameTimeoutNanos) {
                            p.fail(p.playNanos != 0 ? "no first video frame in time" : "no play in time (state " + p.state + ")");
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.errorf("players: the selector loop ended: %s", e);
        }
    }

    private void open(Player p) {
        players.add(p);
        p.startNanos = System.nanoTime();
        try {
            p.channel = SocketChannel.open();
            p.channel.configureBlocking(false);
            p.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            p.key = p.channel.register(selector, SelectionKey.OP_CONNECT, p);
            if (p.channel.connect(address)) {
                connected(p);
            }
        } catch (IOException e) {
            p.fail("connect: " + e.getMessage());
        }
    }

    private void connected(Player p) throws IOException {
        p.state = 1;
        p.key.interestOps(SelectionKey.OP_READ);
        byte[] c0c1 = new byte[1 + RtmpWire.HANDSHAKE_SIZE];
        c0c1[0] = 3;
        p.write(c0c1);
    }

    private void handle(Player p, SelectionKey key, long now) throws IOException {
        if (!key.isValid()) {
            return;
        }
        if (key.isConnectable()) {
            if (p.channel.finishConnect()) {
                connected(p);
            }
            return;
        }
        if (key.isWritable() && p.pending != null) {
            p.channel.write(p.pending);
            if (!p.pending.hasRemaining()) {
                p.pending = null;
                key.interestOps(SelectionKey.OP_READ);
            }
        }
        if (!key.isReadable()) {
            return;
        }
        ByteBuffer buf = readBuffer;
        buf.clear();
        int n = p.channel.read(buf);
        if (n < 0) {
            p.fail("server closed the connection");
            return;
        }
        if (n == 0) {
            return;
        }
        buf.flip();
        p.received += n;
        socketBytes.addAndGet(n);
        p.now = now;
        if (p.state == 1) {
            int take = Math.min(buf.remaining(), p.s0s1s2.length - p.handshakeRead);
            buf.get(p.s0s1s2, p.handshakeRead, take);
            p.handshakeRead += take;
            if (p.handshakeRead < p.s0s1s2.length) {
                return;
            }
            Map<String, Object> connect = new LinkedHashMap<>();
            connect.put("app", app);
            connect.put("flashVer", "LNX 9,0,124,2");
            connect.put("tcUrl", "rtmp://" + address.getHostString() + ":" + address.getPort() + "/" + app);
            connect.put("fpad", false);
            connect.put("capabilities", 15);
            connect.put("audioCodecs", 4071);
            connect.put("videoCodecs", 252);
            connect.put("videoFunction", 1);
            p.state = 2;
            p.write(RtmpWire.concat(
                    java.util.Arrays.copyOfRange(p.s0s1s2, 1, 1 + RtmpWire.HANDSHAKE_SIZE), // C2 echoes S1
                    RtmpWire.chunk(CSID_COMMAND, RtmpWire.TYPE_COMMAND_AMF0, 0, 0,
                            RtmpWire.amf0("connect", 1, connect), CHUNK_SIZE)));
        }
        if (buf.hasRemaining()) {
            p.reader.feed(buf);
        }
        if (p.windowAck > 0 && p.received - p.acked >= p.windowAck / 2 && p.state != 5) {
            p.acked = p.received;
            p.write(RtmpWire.chunk(2, RtmpWire.TYPE_ACK, 0, 0, RtmpWire.int32((int) p.received), CHUNK_SIZE));
        }
    }

    /** The figures of one run; call after the window closed. */
    record Result(int players, int failed, int failedInWindow, long[] firstFrameNanos, long[] latencyNanos,
                  long[] audioLatencyNanos, long unmatchedVideo, List<String> failureSamples) {
    }

    /** Stops the thread and returns what it measured. */
    Result stop() throws InterruptedException {
        long end = System.nanoTime();
        running = false;
        selector.wakeup();
        thread.join(10_000);
        int failed = 0;
        int failedInWindow = 0;
        List<Long> ff = new ArrayList<>();
        Map<String, Integer> reasons = new LinkedHashMap<>();
        for (int i = 0; i < toJoin; i++) {
            Player p = i < players.size() ? players.get(i) : null;
            if (p != null && p.failure == null && p.firstFrameNanos != 0 && end - p.lastMediaNanos > STALL_NANOS) {
                p.failure = "stalled: no media in the last " + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s";
                p.failedInWindow = true;
            }
            boolean bad = p == null || p.failure != null || p.firstFrameNanos == 0;
            if (bad) {
                failed++;
                String why = p == null ? "never opened" : p.failure != null ? p.failure : "no first frame";
                reasons.merge(why, 1, Integer::sum);
            }
            if (p != null && p.failedInWindow) {
                failedInWindow++;
            }
            if (p != null && p.firstFrameNanos != 0) {
                ff.add(p.firstFrameNanos - p.playNanos);
            }
        }
        List<String> samples = new ArrayList<>();
        reasons.forEach((why, count) -> samples.add(count + "x " + why));
        return new Result(toJoin, failed, failedInWindow, ff.stream().mapToLong(Long::longValue).toArray(),
                videoLatencies.toArray(), audioLatencies.toArray(), unmatchedVideo, samples);
    }

    /** Players that saw their first video frame or failed. */
    int settled() {
        return settled.get();
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Player p : players) {
            if (p.channel != null) {
                p.channel.close();
            }
        }
        selector.close();
    }
}
