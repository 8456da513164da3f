package io.streammanager.system.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The little of RTMP the benchmark client needs, written from the specification and independent of the gateway's
 * code: chunking outbound messages, de-chunking inbound ones (payloads kept only for control and command messages;
 * media is only counted), and AMF0 for the few commands a player or publisher sends and reads.
 */
final class RtmpWire {

    static final int TYPE_SET_CHUNK_SIZE = 1;
    static final int TYPE_ACK = 3;
    static final int TYPE_USER_CONTROL = 4;
    static final int TYPE_WINDOW_ACK_SIZE = 5;
    static final int TYPE_AUDIO = 8;
    static final int TYPE_VIDEO = 9;
    static final int TYPE_DATA_AMF0 = 18;
    static final int TYPE_COMMAND_AMF0 = 20;
    static final int HANDSHAKE_SIZE = 1536;
    /** Control and command payloads larger than this are a protocol error here; media is never buffered. */
    private static final int MAX_KEPT_PAYLOAD = 1 << 20;

    private RtmpWire() {
    }

    /** Chunks one message with a type-0 header and type-3 continuations, as one buffer ready to write. */
    static byte[] chunk(int csid, int type, int timestamp, int streamId, byte[] payload, int offset, int length,
                        int chunkSize) {
        boolean extended = timestamp >= 0xFFFFFF;
        int chunks = Math.max(1, (length + chunkSize - 1) / chunkSize);
        int size = length + 12 + (extended ? 4 : 0) + (chunks - 1) * (1 + (extended ? 4 : 0));
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put((byte) csid); // csid 2..63 only: the benchmark uses fixed small ids
        put24(out, extended ? 0xFFFFFF : timestamp);
        put24(out, length);
        out.put((byte) type);
        out.putInt(Integer.reverseBytes(streamId)); // message stream id is little-endian
        if (extended) {
            out.putInt(timestamp);
        }
        int written = 0;
        while (true) {
            int n = Math.min(chunkSize, length - written);
            out.put(payload, offset + written, n);
            written += n;
            if (written >= length) {
                break;
            }
            out.put((byte) (0xC0 | csid));
            if (extended) {
                out.putInt(timestamp);
            }
        }
        return out.array();
    }

    static byte[] chunk(int csid, int type, int timestamp, int streamId, byte[] payload, int chunkSize) {
        return chunk(csid, type, timestamp, streamId, payload, 0, payload.length, chunkSize);
    }

    static byte[] int32(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    /** User control message: event type then 4-byte values. */
    static byte[] userControl(int event, int... values) {
        ByteBuffer b = ByteBuffer.allocate(2 + 4 * values.length).putShort((short) event);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static void put24(ByteBuffer out, int v) {
        out.put((byte) (v >>> 16)).put((byte) (v >>> 8)).put((byte) v);
    }

    // --- AMF0 ------------------------------------------------------------------------------------------------------

    /** Encodes AMF0 values: String, Number, Boolean, null, and Map (as an anonymous object, insertion order). */
    static byte[] amf0(Object... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object v : values) {
            writeAmf(out, v);
        }
        return out.toByteArray();
    }

    private static void writeAmf(ByteArrayOutputStream out, Object v) {
        if (v == null) {
            out.write(5);
        } else if (v instanceof Number n) {
            out.write(0);
            out.writeBytes(ByteBuffer.allocate(8).putDouble(n.doubleValue()).array());
        } else if (v instanceof Boolean b) {
            out.write(1);
            out.write(b ? 1 : 0);
        } else if (v instanceof String s) {
            out.write(2);
            writeUtf(out, s);
        } else if (v instanceof Map<?, ?> m) {
            out.write(3);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                writeUtf(out, (String) e.getKey());
                writeAmf(out, e.getValue());
            }
            out.write(0);
            out.write(0);
            out.write(9);
        } else {
            throw new IllegalArgumentException("no AMF0 encoding for " + v.getClass());
        }
    }

    private static void writeUtf(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >>> 8);
        out.write(b.length);
        out.writeBytes(b);
    }

    /** Decodes the AMF0 values of a command: numbers, booleans, strings, null/undefined, objects (as Maps). */
    static List<Object> decodeAmf0(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        List<Object> values = new ArrayList<>();
        while (in.hasRemaining()) {
            values.add(readAmf(in, 0));
        }
        return values;
    }

    private static Object readAmf(ByteBuffer in, int depth) {
        if (depth > 16) {
            throw new IllegalStateException("AMF0 nested too deep");
        }
        int marker = in.get() & 0xFF;
        return switch (marker) {
            case 0 -> in.getDouble();
            case 1 -> in.get() != 0;
            case 2 -> readUtf(in);
            case 3 -> readObject(in, depth);
            case 5, 6 -> null;
            case 8 -> {
                in.getInt(); // ECMA array count hint
                yield readObject(in, depth);
            }
            case 12 -> {
                byte[] b = new byte[in.getInt()];
                in.get(b);
                yield new String(b, StandardCharsets.UTF_8);
            }
            default -> throw new IllegalStateException("unsupported AMF0 marker " + marker);
        };
    }

    private static Map<String, Object> readObject(ByteBuffer in, int depth) {
        Map<String, Object> map = new HashMap<>();
        while (true) {
            String key = readUtf(in);
            if (key.isEmpty() && (in.get(in.position()) & 0xFF) == 9) {
                in.get();
                return map;
            }
            map.put(key, readAmf(in, depth + 1));
        }
    }

    private static String readUtf(ByteBuffer in) {
        byte[] b = new byte[in.getShort() & 0xFFFF];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    // --- inbound de-chunking ------------------------------------------------------------------------------------------

    /** What the reader reports for each complete message. */
    interface MessageSink {
        /** @param payload the bytes for control/command/data-less messages, null for audio, video and data */
        void onMessage(int type, int timestamp, int streamId, int length, byte[] payload);
    }

    /**
     * Incremental chunk-stream decoder: feed it whatever the socket gave, in any split; it calls the sink for every
     * complete message, applies Set Chunk Size itself, and never copies audio/video/data payloads.
     */
    static final class ChunkReader {
        private static final class Stream {
            int timestamp;
            int delta;
            int length;
            int type;
            int streamId;
            int received;
            boolean extended;
            byte[] payload;
        }

        private final MessageSink sink;
        private final Map<Integer, Stream> streams = new HashMap<>();
        private final byte[] header = new byte[18];
        private int headerLen;
        private Stream current; // the chunk whose payload is being read
        private int chunkRemaining;
        private int chunkSize = 128;

        ChunkReader(MessageSink sink) {
            this.sink = sink;
        }

        void feed(ByteBuffer in) {
            while (in.hasRemaining()) {
                if (current != null) {
                    int n = Math.min(chunkRemaining, in.remaining());
                    if (current.payload != null) {
                        in.get(current.payload, current.received, n);
                    } else {
                        in.position(in.position() + n);
                    }
                    current.received += n;
                    chunkRemaining -= n;
                    if (chunkRemaining == 0) {
                        Stream s = current;
                        current = null;
                        if (s.received >= s.length) {
                            complete(s);
                        }
                    }
                    continue;
                }
                header[headerLen++] = in.get();
                parseHeaderIfComplete();
            }
        }

        private void parseHeaderIfComplete() {
            int fmt = (header[0] & 0xFF) >>> 6;
            int basic = switch (header[0] & 0x3F) {
                case 0 -> 2;
                case 1 -> 3;
                default -> 1;
            };
            if (headerLen < basic) {
                return;
            }
            int csid = switch (basic) {
                case 2 -> 64 + (header[1] & 0xFF);
                case 3 -> 64 + (header[1] & 0xFF) + ((header[2] & 0xFF) << 8);
                default -> header[0] & 0x3F;
            };
            int mh = switch (fmt) {
                case 0 -> 11;
                case 1 -> 7;
                case 2 -> 3;
                default -> 0;
            };
            if (headerLen < basic + mh) {
                return;
            }
            Stream s = streams.computeIfAbsent(csid, k -> new Stream());
            boolean extended;
            int ts24 = 0;
            if (fmt < 3) {
                ts24 = u24(basic);
                extended = ts24 == 0xFFFFFF;
            } else {
                extended = s.extended;
            }
            if (extended && headerLen < basic + mh + 4) {
                return;
            }
            int tsField = extended ? readInt(basic + mh) : ts24;
            headerLen = 0;
            boolean newMessage = s.received >= s.length || s.length == 0 || fmt < 3;
            switch (fmt) {
                case 0 -> {
                    s.timestamp = tsField;
                    s.delta = 0;
                    s.length = u24(basic + 3);
                    s.type = header[basic + 6] & 0xFF;
                    s.streamId = Integer.reverseBytes(readInt(basic + 7));
                }
                case 1 -> {
                    s.delta = tsField;
                    s.timestamp += tsField;
                    s.length = u24(basic + 3);
                    s.type = header[basic + 6] & 0xFF;
                }
                case 2 -> {
                    s.delta = tsField;
                    s.timestamp += tsField;
                }
                default -> {
                    if (newMessage) {
                        s.timestamp += s.delta;
                    }
                }
            }
            s.extended = extended;
            if (newMessage) {
                s.received = 0;
                boolean keep = s.type != TYPE_AUDIO && s.type != TYPE_VIDEO && s.type != TYPE_DATA_AMF0;
                if (keep && s.length > MAX_KEPT_PAYLOAD) {
                    throw new IllegalStateException("control message of " + s.length + " bytes");
                }
                s.payload = keep ? new byte[s.length] : null;
            }
            if (s.length == 0) {
                complete(s);
                return;
            }
            current = s;
            chunkRemaining = Math.min(chunkSize, s.length - s.received);
        }

        private void complete(Stream s) {
            if (s.type == TYPE_SET_CHUNK_SIZE && s.payload != null && s.payload.length >= 4) {
                chunkSize = ByteBuffer.wrap(s.payload).getInt() & 0x7FFFFFFF;
            }
            sink.onMessage(s.type, s.timestamp, s.streamId, s.length, s.payload);
            s.received = s.length;
            s.payload = null;
        }

        private int u24(int at) {
            return ((header[at] & 0xFF) << 16) | ((header[at + 1] & 0xFF) << 8) | (header[at + 2] & 0xFF);
        }

        private int readInt(int at) {
            return ((header[at] & 0xFF) << 24) | ((header[at + 1] & 0xFF) << 16) | ((header[at + 2] & 0xFF) << 8)
                    | (header[at + 3] & 0xFF);
        }
    }
}
