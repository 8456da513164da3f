package io.streammanager.gateway.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streammanager.gateway.rtmp.amf0.Amf0Limits;
import io.streammanager.gateway.rtmp.amf0.Amf0Reader;
import io.streammanager.gateway.rtmp.amf0.Amf0Writer;
import io.streammanager.gateway.rtmp.chunk.ChunkDecoder;
import io.streammanager.gateway.rtmp.chunk.ChunkLimits;
import io.streammanager.gateway.rtmp.chunk.RawMessage;
import io.streammanager.gateway.rtmp.message.MessageType;
import io.streammanager.gateway.rtmp.message.UserControl;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A scripted RTMP client over a real socket, for what no real client sends on purpose: odd but legal chunking
 * (chunk size changes, extended timestamps, type-3 continuations interleaved with another chunk stream, Abort),
 * several streams on one connection, or a player that measures the gaps between video messages. Everything it
 * writes is built here byte by byte; replies are decoded with the gateway's own chunk decoder and AMF0 reader on a
 * reader thread, which answers Ping Requests (unless told not to) and counts media.
 */
final class ScriptedRtmpClient implements AutoCloseable {

    record Message(int typeId, int streamId, long timestamp, byte[] payload, List<Object> amf) {
        /** The {@code code} of an onStatus or _result/_error info object, or null. */
        String code() {
            for (Object value : amf) {
                if (value instanceof Map<?, ?> map && map.get("code") instanceof String code) {
                    return code;
                }
            }
            return null;
        }

        String description() {
            for (Object value : amf) {
                if (value instanceof Map<?, ?> map && map.get("description") instanceof String description) {
                    return description;
                }
            }
            return null;
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final BlockingQueue<Message> commands = new LinkedBlockingQueue<>(10_000);
    private final AtomicInteger videoMessages = new AtomicInteger();
    private final AtomicInteger audioMessages = new AtomicInteger();
    private final AtomicLong firstVideoNs = new AtomicLong();
    private final AtomicLong lastVideoNs = new AtomicLong();
    private final AtomicLong maxVideoGapNs = new AtomicLong();
    private final AtomicLong lastVideoTimestamp = new AtomicLong(-1);
    private final List<String> statusCodes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger streamEofs = new AtomicInteger();
    /** Media messages as received (type, message stream id, timestamp, payload), once {@link #logMedia()} was called. */
    private final java.util.Queue<Message> mediaLog = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicInteger mediaLogged = new AtomicInteger();
    private final AtomicInteger mediaLogDropped = new AtomicInteger();
    private volatile boolean logMedia;
    private volatile boolean answerPings = true;
    private volatile boolean closed;
    private volatile Throwable readerFailure;
    private Thread reader;
    private int outChunkSize = 128;
    private double transactionId = 1;

    private ScriptedRtmpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects TCP, does the handshake and starts the reader. */
    static ScriptedRtmpClient open(int port) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(20_000);
        ScriptedRtmpClient client = new ScriptedRtmpClient(socket);
        client.handshake();
        client.reader = Thread.ofVirtual().name("scripted-rtmp-reader").start(client::readLoop);
        return client;
    }

    private void handshake() throws IOException {
        byte[] c0c1 = new byte[1 + 1536];
        c0c1[0] = 3;
        ThreadLocalRandom.current().nextBytes(c0c1);
        c0c1[0] = 3;
        for (int i = 1; i < 9; i++) {
            c0c1[i] = 0; // time and zero fields
        }
        out.write(c0c1);
        out.flush();
        byte[] s0s1s2 = new byte[1 + 1536 + 1536];
        in.readFully(s0s1s2);
        if (s0s1s2[0] != 3) {
            throw new IOException("S0 version " + s0s1s2[0]);
        }
        out.write(s0s1s2, 1, 1536); // C2 echoes S1
        out.flush();
    }

    // ---- writing

    /** One message as a type-0 chunk then type-3 continuations at the current chunk size. */
    synchronized ScriptedRtmpClient send(int csid, int typeId, int streamId, long timestamp, byte[] body) throws IOException {
        out.write(chunks(csid, typeId, streamId, timestamp, body, 0, Integer.MAX_VALUE, true));
        out.flush();
        return this;
    }

    /** Raw bytes, unframed: for garbage, truncated or hand-made chunks. */
    synchronized ScriptedRtmpClient raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /**
     * The first {@code chunksToSend} chunks of a message (so a message can be left half-sent); with {@code
     * typeZero=false} the first chunk uses a type-3 header (continuing the chunk stream's previous header).
     */
    byte[] chunks(int csid, int typeId, int streamId, long timestamp, byte[] body, int fromChunk, int chunksToSend,
                  boolean typeZero) {
        ByteBuf buf = Unpooled.buffer();
        long ts = timestamp & 0xFFFFFFFFL;
        boolean extended = ts >= 0xFFFFFF;
        int count = Math.max(1, (body.length + outChunkSize - 1) / outChunkSize);
        for (int chunk = fromChunk; chunk < Math.min(count, fromChunk + chunksToSend); chunk++) {
            int offset = chunk * outChunkSize;
            int n = Math.min(outChunkSize, body.length - offset);
            if (chunk == 0 && typeZero) {
                buf.writeByte(csid & 0x3F);
                buf.writeMedium(extended ? 0xFFFFFF : (int) ts);
                buf.writeMedium(body.length);
                buf.writeByte(typeId);
                buf.writeIntLE(streamId);
            } else {
                buf.writeByte(0xC0 | (csid & 0x3F));
            }
            if (extended) {
                buf.writeInt((int) ts);
            }
            buf.writeBytes(body, offset, n);
        }
        byte[] bytes = ByteBufUtil.getBytes(buf);
        buf.release();
        return bytes;
    }

    int outChunkSize() {
        return outChunkSize;
    }

    /** Sends Set Chunk Size and uses it for everything after. */
    synchronized ScriptedRtmpClient setChunkSize(int size) throws IOException {
        send(MessageType.CONTROL_CHUNK_STREAM, MessageType.SET_CHUNK_SIZE, 0, 0,
                new byte[] {(byte) (size >>> 24 & 0x7F), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size});
        outChunkSize = size;
        return this;
    }

    /** Abort Message for {@code csid}: the peer drops the partly received message of that chunk stream. */
    ScriptedRtmpClient abort(int csid) throws IOException {
        return send(MessageType.CONTROL_CHUNK_STREAM, MessageType.ABORT, 0, 0,
                new byte[] {(byte) (csid >>> 24), (byte) (csid >>> 16), (byte) (csid >>> 8), (byte) csid});
    }

    static byte[] amf(Object... values) {
        ByteBuf buf = Unpooled.buffer();
        Amf0Writer.writeAll(buf, values);
        byte[] bytes = ByteBufUtil.getBytes(buf);
        buf.release();
        return bytes;
    }

    /** An AMF0 command on chunk stream 3 with the next transaction id; returns that id. */
    synchronized double command(int streamId, String name, Object... arguments) throws IOException {
        double id = transactionId++;
        Object[] values = new Object[arguments.length + 2];
        values[0] = name;
        values[1] = id;
        System.arraycopy(arguments, 0, values, 2, arguments.length);
        send(MessageType.COMMAND_CHUNK_STREAM, MessageType.COMMAND_AMF0, streamId, 0, amf(values));
        return id;
    }

    /** connect to app {@code live} and waits for NetConnection.Connect.Success. */
    ScriptedRtmpClient connect(int port) throws IOException, InterruptedException {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("app", "live");
        properties.put("type", "nonprivate");
        properties.put("flashVer", "FMLE/3.0 (compatible; scripted)");
        properties.put("tcUrl", "rtmp://127.0.0.1:" + port + "/live");
        command(0, "connect", properties);
        expectStatus("NetConnection.Connect.Success", Duration.ofSeconds(10));
        return this;
    }

    /** createStream; returns the stream id the server handed out. */
    int createStream() throws IOException, InterruptedException {
        double id = command(0, "createStream", (Object) null);
        Message result = await(m -> m.amf().size() >= 4 && "_result".equals(m.amf().get(0))
                && m.amf().get(1) instanceof Double t && t == id, Duration.ofSeconds(10));
        return ((Double) result.amf().get(3)).intValue();
    }

    /** publish {@code name} (with any {@code ?key=}) on {@code streamId}; no releaseStream or FCPublish before. */
    Message publish(int streamId, String nameWithKey) throws IOException, InterruptedException {
        command(streamId, "publish", null, nameWithKey, "live");
        return awaitStatus(Duration.ofSeconds(10));
    }

    Message play(int streamId, String name) throws IOException, InterruptedException {
        command(streamId, "play", null, name, -2000.0);
        return await(m -> m.code() != null && (m.code().startsWith("NetStream.Play.Start")
                || m.code().endsWith("Failed") || m.code().startsWith("NetStream.Play.BadName")), Duration.ofSeconds(10));
    }

    void deleteStream(int streamId) throws IOException {
        command(0, "deleteStream", null, (double) streamId);
    }

    // ---- reading

    private void readLoop() {
        ChunkDecoder decoder = new ChunkDecoder(new ChunkLimits(16 * 1024 * 1024, 16 * 1024 * 1024, 64),
                ByteBufAllocator.DEFAULT);
        Amf0Reader amf0 = new Amf0Reader(new Amf0Limits(32, 1024 * 1024, 4096));
        ByteBuf received = Unpooled.buffer();
        byte[] chunk = new byte[64 * 1024];
        try {
            InputStream input = socket.getInputStream();
            while (!closed) {
                int n;
                try {
                    n = input.read(chunk);
                } catch (java.net.SocketTimeoutException e) {
                    continue;
                }
                if (n < 0) {
                    break;
                }
                received.writeBytes(chunk, 0, n);
                RawMessage m;
                while ((m = decoder.read(received)) != null) {
                    try {
                        handle(m, decoder, amf0);
                    } finally {
                        m.payload().release();
                    }
                }
                received.discardReadBytes();
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                readerFailure = e;
            }
        } finally {
            closed = true;
            decoder.close();
            received.release();
        }
    }

    private void handle(RawMessage m, ChunkDecoder decoder, Amf0Reader amf0) throws IOException {
        long now = System.nanoTime();
        if (logMedia && (m.typeId() == MessageType.VIDEO || m.typeId() == MessageType.AUDIO)) {
            if (mediaLogged.incrementAndGet() <= MEDIA_LOG_LIMIT) {
                mediaLog.add(new Message(m.typeId(), m.streamId(), m.timestamp(), ByteBufUtil.getBytes(m.payload()), List.of()));
            } else {
                mediaLogDropped.incrementAndGet();
            }
        }
        switch (m.typeId()) {
            case MessageType.SET_CHUNK_SIZE -> decoder.chunkSize(m.payload().getInt(m.payload().readerIndex()));
            case MessageType.USER_CONTROL -> {
                UserControl event = UserControl.decode(m.payload().duplicate());
                if (event.eventType() == UserControl.STREAM_EOF) {
                    streamEofs.incrementAndGet();
                }
                if (event.eventType() == UserControl.PING_REQUEST && answerPings) {
                    ByteBuf body = Unpooled.buffer();
                    UserControl.pingResponse(event.value()).encode(body);
                    send(MessageType.CONTROL_CHUNK_STREAM, MessageType.USER_CONTROL, 0, 0, ByteBufUtil.getBytes(body));
                    body.release();
                }
                commands.offer(new Message(m.typeId(), m.streamId(), m.timestamp(), ByteBufUtil.getBytes(m.payload()), List.of()));
            }
            case MessageType.VIDEO -> {
                videoMessages.incrementAndGet();
                firstVideoNs.compareAndSet(0, now);
                long last = lastVideoNs.getAndSet(now);
                if (last != 0) {
                    maxVideoGapNs.accumulateAndGet(now - last, Math::max);
                }
                lastVideoTimestamp.set(m.timestamp());
            }
            case MessageType.AUDIO -> audioMessages.incrementAndGet();
            case MessageType.COMMAND_AMF0, MessageType.DATA_AMF0 -> {
                Message message = new Message(m.typeId(), m.streamId(), m.timestamp(), ByteBufUtil.getBytes(m.payload()),
                        amf0.readAll(m.payload().duplicate()));
                if (message.code() != null) {
                    statusCodes.add(message.code());
                }
                commands.offer(message);
            }
            default -> commands.offer(new Message(m.typeId(), m.streamId(), m.timestamp(), ByteBufUtil.getBytes(m.payload()), List.of()));
        }
    }

    /** The next received non-media message matching {@code filter} (others are skipped), or an AssertionError. */
    Message await(Predicate<Message> filter, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Message m = left > 0 ? commands.poll(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS) : null;
            if (m != null && filter.test(m)) {
                return m;
            }
            if (m == null && (System.nanoTime() > deadline || closed && commands.isEmpty())) {
                throw new AssertionError("no expected message within " + timeout + (closed ? " (connection closed)" : "")
                        + (readerFailure != null ? ", reader failed: " + readerFailure : ""));
            }
        }
    }

    /** The next onStatus (or _error) carrying an info code. */
    Message awaitStatus(Duration timeout) throws InterruptedException {
        return await(m -> m.code() != null, timeout);
    }

    void expectStatus(String code, Duration timeout) throws InterruptedException {
        Message m = awaitStatus(timeout);
        if (!code.equals(m.code())) {
            throw new AssertionError("expected status " + code + " but got " + m.code() + ": " + m.description());
        }
    }

    /** Bound of the media log: a runaway test fails on the count instead of filling the heap. */
    static final int MEDIA_LOG_LIMIT = 100_000;

    /** From now on keep every audio and video message received, with its message stream id. */
    ScriptedRtmpClient logMedia() {
        logMedia = true;
        return this;
    }

    /** The media received since {@link #logMedia()}, in order of arrival. */
    List<Message> mediaLog() {
        if (mediaLogDropped.get() > 0) {
            throw new AssertionError(mediaLogDropped.get() + " media messages beyond the log bound " + MEDIA_LOG_LIMIT);
        }
        return List.copyOf(mediaLog);
    }

    /** Video messages received on message stream {@code streamId} since {@link #logMedia()}. */
    long videoMessages(int streamId) {
        return mediaLog.stream().filter(m -> m.typeId() == MessageType.VIDEO && m.streamId() == streamId).count();
    }

    /** The next status on message stream {@code streamId} carrying {@code code}, or an AssertionError. */
    Message awaitStatus(int streamId, String code, Duration timeout) throws InterruptedException {
        return await(m -> m.streamId() == streamId && code.equals(m.code()), timeout);
    }

    /** Stop answering Ping Requests (and send nothing): a peer that went silent. */
    void stopAnsweringPings() {
        answerPings = false;
    }

    /** Every status code received so far, in order. */
    List<String> statusCodes() {
        return List.copyOf(statusCodes);
    }

    int streamEofs() {
        return streamEofs.get();
    }

    int videoMessages() {
        return videoMessages.get();
    }

    int audioMessages() {
        return audioMessages.get();
    }

    long lastVideoTimestamp() {
        return lastVideoTimestamp.get();
    }

    /** The longest time between two video messages since {@link #resetGap()} (or the start). */
    Duration maxVideoGap() {
        return Duration.ofNanos(maxVideoGapNs.get());
    }

    /** Since the last video message (or zero before the first). */
    Duration sinceLastVideo() {
        long last = lastVideoNs.get();
        return last == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - last);
    }

    void resetGap() {
        maxVideoGapNs.set(0);
    }

    /** True once the server closed the connection (the reader saw end of stream or an error). */
    boolean closedByPeer() {
        return closed;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        closed = true;
        socket.close();
        if (reader != null) {
            reader.join(5000);
        }
    }
}
