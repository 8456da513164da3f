package io.streammanager.muxer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void rangesResolveAgainstTheSize() throws Exception {
        assertEquals(new ByteRange(0, 99), ByteRange.parse("bytes=0-99", 1000));
        assertEquals(new ByteRange(900, 999), ByteRange.parse("bytes=900-5000", 1000), "end capped at the size");
        assertEquals(new ByteRange(10, 999), ByteRange.parse("bytes=10-", 1000));
        assertEquals(new ByteRange(950, 999), ByteRange.parse("bytes=-50", 1000));
        assertEquals(new ByteRange(0, 999), ByteRange.parse("bytes=-5000", 1000));
    }

    @Test
    void noRangeOrSeveralMeanTheWholeFile() throws Exception {
        assertNull(ByteRange.parse(null, 1000));
        assertNull(ByteRange.parse("bytes=0-1,5-6", 1000));
        assertNull(ByteRange.parse("items=0-1", 1000));
    }

    @Test
    void rangesOutsideTheFileOrMalformedAreUnsatisfiable() {
        assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=1000-", 1000));
        assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=5-2", 1000));
        assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=x-2", 1000));
        assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=-0", 1000));
        assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=0-", 0));
    }
}
