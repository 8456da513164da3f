package io.streammanager.gateway.rtmp.amf0;

import io.netty.buffer.ByteBuf;
import io.streammanager.gateway.rtmp.RtmpException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes AMF0 values: number -> Double, boolean -> Boolean, string and long string -> String, object ->
 * {@code Map<String,Object>} (insertion ordered), null -> null, undefined -> {@link Amf0Undefined}, ECMA array ->
 * {@link Amf0EcmaArray}, strict array -> {@code List<Object>}, date -> {@link Amf0Date}. Every length read from the
 * input is checked against the bytes present and against {@link Amf0Limits}.
 */
public final class Amf0Reader {

    private final Amf0Limits limits;

    public Amf0Reader(Amf0Limits limits) {
        this.limits = limits;
    }

    /** Reads every value until {@code in} is exhausted. */
    public List<Object> readAll(ByteBuf in) {
        List<Object> values = new ArrayList<>();
        while (in.isReadable()) {
            values.add(read(in));
        }
        return values;
    }

    public Object read(ByteBuf in) {
        return read(in, 0);
    }

    private Object read(ByteBuf in, int depth) {
        need(in, 1, "type marker");
        int marker = in.readUnsignedByte();
        return switch (marker) {
            case Amf0Marker.NUMBER -> {
                need(in, 8, "number");
                yield in.readDouble();
            }
            case Amf0Marker.BOOLEAN -> {
                need(in, 1, "boolean");
                yield in.readUnsignedByte() != 0;
            }
            case Amf0Marker.STRING -> readUtf8(in, 2);
            case Amf0Marker.LONG_STRING -> readUtf8(in, 4);
            case Amf0Marker.OBJECT -> readProperties(in, enter(depth));
            case Amf0Marker.NULL -> null;
            case Amf0Marker.UNDEFINED -> Amf0Undefined.INSTANCE;
            case Amf0Marker.ECMA_ARRAY -> {
                need(in, 4, "ecma array count");
                in.skipBytes(4); // the count is only a hint; the object end marker terminates the array
                yield new Amf0EcmaArray(readProperties(in, enter(depth)));
            }
            case Amf0Marker.STRICT_ARRAY -> readStrictArray(in, enter(depth));
            case Amf0Marker.DATE -> {
                need(in, 10, "date");
                yield new Amf0Date(in.readDouble(), in.readShort());
            }
            case Amf0Marker.OBJECT_END -> throw new Amf0Exception("object end marker outside an object");
            default -> throw new Amf0Exception("unsupported type marker 0x" + Integer.toHexString(marker));
        };
    }

    private int enter(int depth) {
        int next = depth + 1;
        if (next > limits.maxDepth()) {
            throw new Amf0Exception(RtmpException.Category.LIMIT,
                    "nesting depth " + next + " exceeds limit " + limits.maxDepth());
        }
        return next;
    }

    private Map<String, Object> readProperties(ByteBuf in, int depth) {
        Map<String, Object> properties = new LinkedHashMap<>();
        while (true) {
            need(in, 3, "property name or object end");
            if (in.getUnsignedShort(in.readerIndex()) == 0
                    && in.getUnsignedByte(in.readerIndex() + 2) == Amf0Marker.OBJECT_END) {
                in.skipBytes(3);
                return properties;
            }
            String name = readUtf8(in, 2);
            if (properties.size() >= limits.maxEntries()) {
                throw new Amf0Exception(RtmpException.Category.LIMIT,
                        "object entries " + (properties.size() + 1) + " exceeds limit " + limits.maxEntries());
            }
            properties.put(name, read(in, depth));
        }
    }

    private List<Object> readStrictArray(ByteBuf in, int depth) {
        need(in, 4, "strict array count");
        long count = in.readUnsignedInt();
        if (count > limits.maxEntries()) {
            throw new Amf0Exception(RtmpException.Category.LIMIT,
                    "strict array count " + count + " exceeds limit " + limits.maxEntries());
        }
        if (count > in.readableBytes()) { // every item takes at least one byte
            throw new Amf0Exception("strict array count " + count + " exceeds remaining bytes " + in.readableBytes());
        }
        List<Object> items = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            items.add(read(in, depth));
        }
        return items;
    }

    private String readUtf8(ByteBuf in, int lengthBytes) {
        need(in, lengthBytes, "string length");
        long length = lengthBytes == 2 ? in.readUnsignedShort() : in.readUnsignedInt();
        if (length > limits.maxStringBytes()) {
            throw new Amf0Exception(RtmpException.Category.LIMIT,
                    "string length " + length + " exceeds limit " + limits.maxStringBytes());
        }
        need(in, (int) length, "string");
        String value = in.toString(in.readerIndex(), (int) length, StandardCharsets.UTF_8);
        in.skipBytes((int) length);
        return value;
    }

    private static void need(ByteBuf in, int bytes, String what) {
        if (in.readableBytes() < bytes) {
            throw new Amf0Exception("truncated " + what + ": needs " + bytes + " bytes, " + in.readableBytes() + " left");
        }
    }
}
