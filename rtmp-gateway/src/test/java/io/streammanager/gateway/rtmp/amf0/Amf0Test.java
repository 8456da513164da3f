package io.streammanager.gateway.rtmp.amf0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streammanager.gateway.rtmp.RtmpException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** One table drives both directions: decoding the bytes gives the value, encoding the value gives the bytes. */
class Amf0Test {

    private static Map<String, Object> object(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    static Stream<Arguments> cases() {
        String longString = "x".repeat(70000);
        return Stream.of(
                Arguments.of("number", 1.5, "003ff8000000000000"),
                Arguments.of("boolean true", true, "0101"),
                Arguments.of("boolean false", false, "0100"),
                Arguments.of("string", "connect", "020007636f6e6e656374"),
                Arguments.of("empty string", "", "020000"),
                Arguments.of("utf-8 string", "é", "020002c3a9"),
                Arguments.of("long string", longString, "0c00011170" + "78".repeat(70000)),
                Arguments.of("null", null, "05"),
                Arguments.of("undefined", Amf0Undefined.INSTANCE, "06"),
                Arguments.of("object", object("app", "live", "n", 2.0),
                        "03" + "0003617070" + "0200046c697665" + "00016e" + "004000000000000000" + "000009"),
                Arguments.of("empty object", object(), "03000009"),
                Arguments.of("nested object", object("o", object("b", true)),
                        "03" + "00016f" + "03" + "000162" + "0101" + "000009" + "000009"),
                Arguments.of("ecma array", new Amf0EcmaArray(object("width", 640.0)),
                        "0800000001" + "00057769647468" + "004084000000000000" + "000009"),
                Arguments.of("strict array", List.of(1.0, "a"), "0a00000002" + "003ff0000000000000" + "02000161"),
                Arguments.of("date", new Amf0Date(1.0e12, (short) 0), "0b" + "426d1a94a2000000" + "0000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesTheBytesToTheValue(String name, Object value, String hex) {
        ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        assertEquals(value, new Amf0Reader(new Amf0Limits(16, 100_000, 1024)).read(in));
        assertEquals(0, in.readableBytes(), "every byte consumed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encodesTheValueToTheBytes(String name, Object value, String hex) {
        ByteBuf out = Unpooled.buffer();
        try {
            Amf0Writer.write(out, value);
            assertEquals(hex, ByteBufUtil.hexDump(out));
        } finally {
            out.release();
        }
    }

    @Test
    void readsACommandSequenceUntilTheEnd() {
        ByteBuf buf = Unpooled.buffer();
        try {
            Amf0Writer.writeAll(buf, "createStream", 2.0, null);
            assertEquals(Arrays.asList("createStream", 2.0, null), new Amf0Reader(Amf0Limits.DEFAULTS).readAll(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        Object value = "leaf";
        for (int i = 0; i < 5; i++) {
            value = object("o", value);
        }
        ByteBuf buf = Unpooled.buffer();
        try {
            Amf0Writer.write(buf, value);
            assertEquals(value, new Amf0Reader(new Amf0Limits(5, 100, 100)).read(buf.duplicate()));
            RtmpException e = assertThrows(RtmpException.class, () -> new Amf0Reader(new Amf0Limits(4, 100, 100)).read(buf.duplicate()));
            assertEquals(RtmpException.Category.LIMIT, e.category());
            assertTrue(e.getMessage().contains("depth 5 exceeds limit 4"), e.getMessage());
        } finally {
            buf.release();
        }
    }

    @Test
    void refusesAStringLongerThanTheLimitNamingBothNumbers() {
        ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("020005" + "6161616161"));
        RtmpException e = assertThrows(RtmpException.class, () -> new Amf0Reader(new Amf0Limits(4, 4, 4)).read(in));
        assertTrue(e.getMessage().contains("string length 5 exceeds limit 4"), e.getMessage());
    }

    @Test
    void refusesAStrictArrayCountBeyondTheBytesPresent() {
        ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("0a7fffffff05"));
        RtmpException e = assertThrows(RtmpException.class, () -> new Amf0Reader(new Amf0Limits(4, 4, Integer.MAX_VALUE)).read(in));
        assertTrue(e.getMessage().contains("2147483647"), e.getMessage());
        ByteBuf limited = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("0a0000000505050505"));
        assertThrows(RtmpException.class, () -> new Amf0Reader(new Amf0Limits(4, 4, 4)).read(limited));
    }

    @Test
    void refusesTooManyObjectEntries() {
        ByteBuf buf = Unpooled.buffer();
        try {
            Amf0Writer.write(buf, object("a", 1.0, "b", 2.0, "c", 3.0));
            RtmpException e = assertThrows(RtmpException.class, () -> new Amf0Reader(new Amf0Limits(4, 100, 2)).read(buf));
            assertTrue(e.getMessage().contains("3 exceeds limit 2"), e.getMessage());
        } finally {
            buf.release();
        }
    }

    @Test
    void everyTruncationOfAValidValueIsATypedErrorNotACrash() {
        ByteBuf full = Unpooled.buffer();
        try {
            Amf0Writer.write(full, object("a", List.of(1.0, "x", new Amf0EcmaArray(object("k", true))), "d", new Amf0Date(5, (short) 0)));
            List<Integer> failures = new ArrayList<>();
            for (int length = 0; length < full.readableBytes(); length++) {
                ByteBuf cut = full.slice(0, length);
                try {
                    new Amf0Reader(Amf0Limits.DEFAULTS).read(cut);
                } catch (Amf0Exception expected) {
                    failures.add(length);
                }
            }
            assertEquals(full.readableBytes(), failures.size(), "every truncated prefix fails with Amf0Exception");
        } finally {
            full.release();
        }
    }

    @Test
    void refusesAnObjectEndMarkerAtTopLevelAndUnknownMarkers() {
        assertThrows(Amf0Exception.class, () -> new Amf0Reader(Amf0Limits.DEFAULTS).read(Unpooled.wrappedBuffer(new byte[] {9})));
        assertThrows(Amf0Exception.class, () -> new Amf0Reader(Amf0Limits.DEFAULTS).read(Unpooled.wrappedBuffer(new byte[] {0x11})));
    }
}
