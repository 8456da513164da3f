package io.streammanager.bus.shm;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class CodecConfigTest {

    private static final byte[] AVCC = {1, 0x64, 0, 0x1f, (byte) 0xff, (byte) 0xe1, 0, 4, 0x67, 0x64, 0, 0x1f};

    @Test
    void videoConfigSurvivesEncodeAndDecode() {
        CodecConfig config = CodecConfig.video("h264", 1280, 720, 30, 3_000_000, AVCC);
        CodecConfig decoded = CodecConfig.decode(config.encode());
        assertEquals(config, decoded);
        assertArrayEquals(AVCC, decoded.extradata());
        assertEquals(config.encodedLength(), config.encode().length);
    }

    @Test
    void audioConfigDecodesFromASliceOfALargerSegment() {
        CodecConfig config = CodecConfig.audio("aac", 48_000, 2, 128_000, new byte[] {0x11, (byte) 0x90});
        byte[] encoded = config.encode();
        byte[] padded = new byte[encoded.length + 100];
        System.arraycopy(encoded, 0, padded, 10, encoded.length);
        MemorySegment slice = MemorySegment.ofArray(padded).asSlice(10, encoded.length + 50);
        assertEquals(config, CodecConfig.decode(slice));
    }

    @Test
    void truncatedEncodingIsRefusedWithBothLengths() {
        byte[] encoded = CodecConfig.video("h264", 640, 360, 30, 1_000_000, AVCC).encode();
        byte[] truncated = java.util.Arrays.copyOf(encoded, encoded.length - 1);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CodecConfig.decode(truncated));
        assertTrue(error.getMessage().contains("length=" + truncated.length), error.getMessage());
        assertTrue(error.getMessage().contains("encodedLength=" + encoded.length), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CodecConfig.decode(new byte[10]));
    }

    @Test
    void oversizedExtradataIsRefusedOnBothSidesWithTheLimit() {
        IllegalArgumentException building = assertThrows(IllegalArgumentException.class,
                () -> CodecConfig.video("h264", 640, 360, 30, 1, new byte[CodecConfig.MAX_EXTRADATA_LENGTH + 1]));
        assertTrue(building.getMessage().contains("extradataLength=" + (CodecConfig.MAX_EXTRADATA_LENGTH + 1)));
        assertTrue(building.getMessage().contains("max=" + CodecConfig.MAX_EXTRADATA_LENGTH));

        byte[] encoded = CodecConfig.video("h264", 640, 360, 30, 1, AVCC).encode();
        ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN).putInt(CodecConfig.EXTRADATA_LENGTH_OFFSET, 1 << 20);
        IllegalArgumentException decoding = assertThrows(IllegalArgumentException.class,
                () -> CodecConfig.decode(encoded));
        assertTrue(decoding.getMessage().contains("extradataLength=" + (1 << 20)), decoding.getMessage());
        assertTrue(decoding.getMessage().contains("max=" + CodecConfig.MAX_EXTRADATA_LENGTH), decoding.getMessage());
    }

    @Test
    void unknownVersionAndForeignBytesAreRefused() {
        byte[] encoded = CodecConfig.video("h264", 640, 360, 30, 1, AVCC).encode();
        ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN).putInt(CodecConfig.VERSION_OFFSET, 9);
        IllegalArgumentException version = assertThrows(IllegalArgumentException.class,
                () -> CodecConfig.decode(encoded));
        assertTrue(version.getMessage().contains("version=9"), version.getMessage());
        byte[] foreign = new byte[64];
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CodecConfig.decode(foreign))
                .getMessage().contains("magic="));
    }

    @Test
    void extradataCannotBeChangedFromOutside() {
        byte[] extradata = AVCC.clone();
        CodecConfig config = CodecConfig.video("h264", 640, 360, 30, 1, extradata);
        extradata[0] = 99;
        config.extradata()[1] = 99;
        assertArrayEquals(AVCC, config.extradata());
    }
}
