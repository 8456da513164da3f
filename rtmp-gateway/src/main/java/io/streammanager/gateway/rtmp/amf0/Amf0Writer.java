package io.streammanager.gateway.rtmp.amf0;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Encodes Java values as AMF0, the inverse of {@link Amf0Reader}; any {@link Number} encodes as an AMF0 number. */
public final class Amf0Writer {

    private Amf0Writer() {
    }

    public static void writeAll(ByteBuf out, Object... values) {
        for (Object value : values) {
            write(out, value);
        }
    }

    public static void write(ByteBuf out, Object value) {
        switch (value) {
            case null -> out.writeByte(Amf0Marker.NULL);
            case Amf0Undefined ignored -> out.writeByte(Amf0Marker.UNDEFINED);
            case Number number -> {
                out.writeByte(Amf0Marker.NUMBER);
                out.writeDouble(number.doubleValue());
            }
            case Boolean bool -> {
                out.writeByte(Amf0Marker.BOOLEAN);
                out.writeByte(bool ? 1 : 0);
            }
            case String string -> writeString(out, string);
            case Amf0EcmaArray array -> {
                out.writeByte(Amf0Marker.ECMA_ARRAY);
                out.writeInt(array.entries().size());
                writeProperties(out, array.entries());
            }
            case Map<?, ?> map -> {
                out.writeByte(Amf0Marker.OBJECT);
                writeProperties(out, map);
            }
            case List<?> list -> {
                out.writeByte(Amf0Marker.STRICT_ARRAY);
                out.writeInt(list.size());
                list.forEach(item -> write(out, item));
            }
            case Amf0Date date -> {
                out.writeByte(Amf0Marker.DATE);
                out.writeDouble(date.epochMs());
                out.writeShort(date.timeZone());
            }
            default -> throw new IllegalArgumentException("no AMF0 encoding for " + value.getClass().getName());
        }
    }

    private static void writeString(ByteBuf out, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xFFFF) {
            out.writeByte(Amf0Marker.LONG_STRING);
            out.writeInt(utf8.length);
        } else {
            out.writeByte(Amf0Marker.STRING);
            out.writeShort(utf8.length);
        }
        out.writeBytes(utf8);
    }

    private static void writeProperties(ByteBuf out, Map<?, ?> properties) {
        properties.forEach((key, value) -> {
            byte[] name = String.valueOf(key).getBytes(StandardCharsets.UTF_8);
            if (name.length > 0xFFFF) {
                throw new IllegalArgumentException("AMF0 property name of " + name.length + " bytes exceeds 65535");
            }
            out.writeShort(name.length);
            out.writeBytes(name);
            write(out, value);
        });
        out.writeShort(0);
        out.writeByte(Amf0Marker.OBJECT_END);
    }
}
