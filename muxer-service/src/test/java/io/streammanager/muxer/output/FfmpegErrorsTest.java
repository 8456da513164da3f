package io.streammanager.muxer.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Test;

/** How far an RTMP open got decides whether its failure is worth retrying. */
class FfmpegErrorsTest {

    private record Row(String stage, int error, boolean cutShort, ErrorCategory want) {
    }

    @Test
    void anRtmpOpenIsRefusedOnlyWhenTheServerSpokeRtmpAndSaidNo() {
        List<Row> table = List.of(
                new Row("nothing listening", -111, false, ErrorCategory.OUTPUT_CONNECTION),
                new Row("no route", -113, false, ErrorCategory.OUTPUT_CONNECTION),
                new Row("unknown host", -2, false, ErrorCategory.OUTPUT_CONNECTION),
                new Row("TCP timeout", -110, false, ErrorCategory.OUTPUT_CONNECTION),
                new Row("our deadline", avutil.AVERROR_EXIT, true, ErrorCategory.OUTPUT_CONNECTION),
                new Row("closed during the handshake", avutil.AVERROR_EOF, false, ErrorCategory.OUTPUT_CONNECTION),
                new Row("reset", -104, false, ErrorCategory.OUTPUT_CONNECTION),
                new Row("server answered _error / onStatus error", -1, false, ErrorCategory.OUTPUT_REFUSED),
                new Row("server ended the session after the handshake", -5, false, ErrorCategory.OUTPUT_REFUSED),
                new Row("chunk read cut by a timeout", -5, true, ErrorCategory.OUTPUT_CONNECTION),
                new Row("error answer after a timeout", -1, true, ErrorCategory.OUTPUT_CONNECTION),
                new Row("out of memory", -12, false, ErrorCategory.RESOURCE_LIMITATION));
        for (Row row : table) {
            assertEquals(row.want(), FfmpegErrors.categorizeRtmpOpen(row.error(), row.cutShort()), row.stage());
        }
    }

    @Test
    void onlyARefusalIsNotRetryable() {
        for (ErrorCategory category : ErrorCategory.values()) {
            assertEquals(category != ErrorCategory.OUTPUT_REFUSED, category.retryable(), category.tag());
        }
    }
}
