package io.streammanager.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Test;

class FfmpegErrorsTest {

    private record Row(String stage, int error, boolean cutShort, FfmpegErrors.Kind want) {
    }

    /** How far an RTMP open got decides whether its failure is worth retrying. */
    @Test
    void anRtmpOpenIsRefusedOnlyWhenTheServerSpokeRtmpAndSaidNo() {
        List<Row> table = List.of(
                new Row("nothing listening", -111, false, FfmpegErrors.Kind.CONNECTION),
                new Row("no route", -113, false, FfmpegErrors.Kind.CONNECTION),
                new Row("unknown host", -2, false, FfmpegErrors.Kind.CONNECTION),
                new Row("TCP timeout", -110, false, FfmpegErrors.Kind.CONNECTION),
                new Row("our deadline", avutil.AVERROR_EXIT, true, FfmpegErrors.Kind.CONNECTION),
                new Row("closed during the handshake", avutil.AVERROR_EOF, false, FfmpegErrors.Kind.CONNECTION),
                new Row("reset", -104, false, FfmpegErrors.Kind.CONNECTION),
                new Row("server answered _error / onStatus error", -1, false, FfmpegErrors.Kind.REFUSED),
                new Row("server ended the session after the handshake", -5, false, FfmpegErrors.Kind.REFUSED),
                new Row("chunk read cut by a timeout", -5, true, FfmpegErrors.Kind.CONNECTION),
                new Row("error answer after a timeout", -1, true, FfmpegErrors.Kind.OTHER),
                new Row("out of memory", -12, false, FfmpegErrors.Kind.OUT_OF_MEMORY),
                new Row("invalid data", avutil.AVERROR_INVALIDDATA(), false, FfmpegErrors.Kind.OTHER));
        for (Row row : table) {
            assertEquals(row.want(), FfmpegErrors.kindOfRtmpOpen(row.error(), row.cutShort()), row.stage());
        }
    }

    @Test
    void anyCallsConnectionAndMemoryErrorsAreKnownAndTheRestIsTheCallersToName() {
        assertEquals(FfmpegErrors.Kind.CONNECTION, FfmpegErrors.kind(-32)); // EPIPE: the peer went away mid-write
        assertEquals(FfmpegErrors.Kind.CONNECTION, FfmpegErrors.kind(-5)); // EIO outside an open: a lost connection
        assertEquals(FfmpegErrors.Kind.CONNECTION, FfmpegErrors.kind(avutil.AVERROR_EOF));
        assertEquals(FfmpegErrors.Kind.OUT_OF_MEMORY, FfmpegErrors.kind(-12));
        assertEquals(FfmpegErrors.Kind.OTHER, FfmpegErrors.kind(-22)); // EINVAL: e.g. non-monotonic timestamps
        assertEquals(FfmpegErrors.Kind.OTHER, FfmpegErrors.kind(-1));
    }

    @Test
    void describeGivesFfmpegsTextAndTheCode() {
        assertEquals("End of file (" + avutil.AVERROR_EOF + ")", FfmpegErrors.describe(avutil.AVERROR_EOF));
        assertEquals("Connection refused (-111)", FfmpegErrors.describe(-111));
    }

    @Test
    void checkPassesResultsThroughAndThrowsNamingTheOperationOnANegativeOne() {
        assertEquals(0, FfmpegErrors.check(0, "open"));
        assertEquals(42, FfmpegErrors.check(42, "count"));
        FfmpegException failure = assertThrows(FfmpegException.class, () -> FfmpegErrors.check(-12, "alloc frame"));
        assertEquals("alloc frame: Cannot allocate memory (-12)", failure.getMessage());
        assertEquals(-12, failure.errorCode());
    }
}
