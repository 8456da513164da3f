package io.streammanager.gateway.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class FlvTagsTest {

    @Test
    void writesTheFileHeaderWithPreviousTagSizeZero() {
        ByteBuf out = Unpooled.buffer();
        try {
            FlvTags.writeHeader(out, true, true);
            assertEquals("464c5601050000000900000000", ByteBufUtil.hexDump(out));
        } finally {
            out.release();
        }
    }

    @Test
    void writesATagWithTheTimestampsUpperByteAndItsPreviousTagSize() {
        ByteBuf out = Unpooled.buffer();
        try {
            FlvTags.writeTag(out, 9, 0x01020304L, Unpooled.wrappedBuffer(new byte[] {0x17, 0x01}));
            assertEquals("09" + "000002" + "020304" + "01" + "000000" + "1701" + "0000000d", ByteBufUtil.hexDump(out));
        } finally {
            out.release();
        }
    }
}
